import { SYSTEM_NAMESPACES } from "./system-namespaces.js";
import { carryOver, generateName, stampCreate, validateLabels, validateName } from "./meta.js";
import { applyPatch, type PatchType } from "../patch/apply-patch.js";
import { apiVersionOf, keyFor, prefixFor, RESOURCES, resourceByKind, type Resource } from "../api/resources.js";
import { alreadyExists, ApiError, badRequest, conflict, invalid, notFound, type ResourceRef } from "../api/status.js";
import type { Storage, WriteResult } from "../storage/storage.js";
import { strategyFor } from "./strategies/strategies.js";
import type { StrategyContext } from "./strategies/strategy.js";
import { isJsonObject, type KubeObject, type ObjectMeta } from "../api/types.js";

// Conflicts between concurrent unconditional writes (or address races) are retried this many times.
const MAX_ATTEMPTS = 16;

function ref(resource: Resource, name: string): ResourceRef {
  return { resource: resource.name, group: resource.group, kind: resource.kind, name };
}

/** toObject checks that a request body is an object of the resource's kind and apiVersion. */
export function toObject(resource: Resource, body: unknown): KubeObject {
  if (!isJsonObject(body)) throw badRequest("the request body must be a JSON or YAML object");
  const apiVersion = apiVersionOf(resource);
  if (body["apiVersion"] !== undefined && body["apiVersion"] !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body["apiVersion"])}) does not match the expected API version (${apiVersion})`);
  }
  if (body["kind"] !== undefined && body["kind"] !== resource.kind) {
    throw badRequest(`the kind in the data (${String(body["kind"])}) does not match the expected kind (${resource.kind})`);
  }
  const metadata = body["metadata"] === undefined ? {} : body["metadata"];
  if (!isJsonObject(metadata)) throw badRequest("metadata must be an object");
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = structuredClone(body);
  return { apiVersion, kind: resource.kind, metadata: structuredClone(metadata) as ObjectMeta, ...rest };
}

function withoutMeta(object: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = object;
  return JSON.stringify(rest);
}

/** Registry implements the write and read verbs of every resource over etcd storage. */
export class Registry {
  constructor(
    private readonly storage: Storage,
    private readonly context: StrategyContext,
  ) {}

  /** get reads one object or fails with NotFound. */
  async get(resource: Resource, namespace: string | undefined, name: string): Promise<KubeObject> {
    const object = await this.storage.get(keyFor(resource, namespace, name));
    if (object === undefined) throw notFound(ref(resource, name));
    return object;
  }

  /** create stores a new object with server-set metadata, allocating addresses where the resource has them. */
  async create(resource: Resource, namespace: string | undefined, body: unknown): Promise<KubeObject> {
    const requested = toObject(resource, body);
    const meta = requested.metadata;
    if (resource.namespaced && meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    // The namespace check may read a little stale: a namespace is not deleted and reused in a blink.
    const namespaces = resourceByKind("Namespace");
    if (resource.namespaced && (await this.storage.get(keyFor(namespaces, undefined, namespace ?? ""), true)) === undefined) {
      throw notFound(ref(namespaces, namespace ?? ""));
    }
    const strategy = strategyFor(resource);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const name = typeof meta.name === "string" && meta.name !== "" ? meta.name : typeof meta.generateName === "string" ? generateName(meta.generateName) : "";
      const object: KubeObject = { ...structuredClone(requested), metadata: stampCreate(meta, name, resource.namespaced ? namespace : undefined) };
      if (strategy.tracksGeneration) object.metadata.generation = 1;
      const claims = await strategy.prepareCreate(object, this.context);
      const errors = [...validateName(name, strategy.nameRule), ...validateLabels(object.metadata.labels), ...strategy.validate(object, this.context)];
      if (errors.length > 0) throw invalid(ref(resource, name), errors);
      const result = await this.storage.create(keyFor(resource, namespace, name), object, claims);
      if (result.ok) return { ...object, metadata: { ...object.metadata, resourceVersion: String(result.revision) } };
      if (result.failed === "exists" && meta.generateName === undefined) throw alreadyExists(ref(resource, name));
      if (result.failed === "claimed") {
        const error = strategy.claimError(requested);
        if (error !== undefined) throw error;
      }
    }
    throw new ApiError(500, "InternalError", "Internal error occurred: gave up after repeated allocation conflicts");
  }

  /**
   * update replaces an object (or its status). A resourceVersion in the body must match the stored one;
   * without it the update is unconditional. Endpoints may be created by an update, as in kube-apiserver.
   * known, when given, is the stored object as the caller last read it: the first attempt starts from it instead
   * of reading (a stale one costs a failed transaction and a fresh read).
   */
  async update(resource: Resource, namespace: string | undefined, name: string, body: unknown, subresource?: string, known?: KubeObject): Promise<{ object: KubeObject; created: boolean }> {
    const requested = toObject(resource, body);
    if (requested.metadata.name !== undefined && requested.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(requested.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const key = keyFor(resource, namespace, name);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const old = attempt === 1 && known !== undefined ? known : await this.storage.get(key);
      if (old === undefined) {
        if (resource.name !== "endpoints" || subresource !== undefined) throw notFound(ref(resource, name));
        return { object: await this.create(resource, namespace, { ...requested, metadata: { ...requested.metadata, name } }), created: true };
      }
      const wanted = requested.metadata.resourceVersion;
      if (wanted !== undefined && wanted !== "" && wanted !== old.metadata.resourceVersion) throw conflict(ref(resource, name));
      const result = await this.replace(resource, key, old, requested, subresource);
      if (result.ok) return { object: result.object, created: false };
      if (wanted !== undefined && wanted !== "") throw conflict(ref(resource, name));
    }
    throw conflict(ref(resource, name));
  }

  /** patch applies a merge, strategic merge or JSON patch to the stored object. */
  async patch(resource: Resource, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource?: string): Promise<KubeObject> {
    const key = keyFor(resource, namespace, name);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const old = await this.storage.get(key);
      if (old === undefined) throw notFound(ref(resource, name));
      const patched = applyPatch(type, old, patch);
      const requested = toObject(resource, patched);
      const wanted = requested.metadata.resourceVersion;
      if (wanted !== undefined && wanted !== old.metadata.resourceVersion) throw conflict(ref(resource, name));
      // A concurrent write makes the next round patch the newer object (or report the conflict above).
      const result = await this.replace(resource, key, old, requested, subresource);
      if (result.ok) return result.object;
    }
    throw conflict(ref(resource, name));
  }

  private async replace(resource: Resource, key: string, old: KubeObject, requested: KubeObject, subresource: string | undefined): Promise<{ ok: true; object: KubeObject } | { ok: false }> {
    const strategy = strategyFor(resource);
    const name = old.metadata.name ?? "";
    let object: KubeObject;
    let claims = {};
    if (subresource === "status") {
      object = { ...old, status: requested["status"] };
    } else if (subresource !== undefined) {
      throw notFound({ ...ref(resource, name), resource: `${resource.name}/${subresource}` });
    } else {
      object = { ...requested, metadata: carryOver(requested.metadata, old.metadata) };
      claims = strategy.prepareUpdate(object, old, this.context);
      if (!strategy.statusSubresource && requested["status"] === undefined && old["status"] !== undefined) object["status"] = old["status"];
    }
    if (strategy.tracksGeneration && withoutMeta(object) !== withoutMeta(old)) object.metadata.generation = (old.metadata.generation ?? 0) + 1;
    // A status write cannot change the spec, so (as in kube-apiserver) the spec is not validated again.
    const errors = [...validateLabels(object.metadata.labels), ...(subresource === "status" ? [] : strategy.validate(object, this.context))];
    if (errors.length > 0) throw invalid(ref(resource, name), errors);
    const { resourceVersion: oldVersion, ...oldMeta } = old.metadata;
    const { resourceVersion: _ignored, ...newMeta } = object.metadata;
    // A write that changes nothing is not written, so it does not wake every watcher (as kube-apiserver).
    if (JSON.stringify({ ...old, metadata: oldMeta }) === JSON.stringify({ ...object, metadata: newMeta })) return { ok: true, object: old };
    const result: WriteResult = await this.storage.update(key, object, Number(oldVersion), claims);
    if (result.ok) return { ok: true, object: { ...object, metadata: { ...object.metadata, resourceVersion: String(result.revision) } } };
    if (result.failed === "claimed") {
      const error = strategy.claimError(requested);
      if (error !== undefined) throw error;
    }
    return { ok: false };
  }

  /** delete removes an object at once (no graceful deletion) and returns its last state. */
  async delete(resource: Resource, namespace: string | undefined, name: string, precondition?: { resourceVersion?: string; uid?: string }): Promise<KubeObject> {
    const key = keyFor(resource, namespace, name);
    const strategy = strategyFor(resource);
    if (resource.kind === "Namespace" && (SYSTEM_NAMESPACES as readonly string[]).includes(name)) {
      throw new ApiError(403, "Forbidden", `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: "namespaces" });
    }
    if (resource.kind === "Namespace") await this.deleteContents(name);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const old = await this.storage.get(key);
      if (old === undefined) throw notFound(ref(resource, name));
      if (precondition?.uid !== undefined && precondition.uid !== old.metadata.uid) {
        throw new ApiError(409, "Conflict", `Precondition failed: UID in precondition: ${precondition.uid}, UID in object meta: ${old.metadata.uid ?? ""}`);
      }
      if (precondition?.resourceVersion !== undefined && precondition.resourceVersion !== old.metadata.resourceVersion) throw conflict(ref(resource, name));
      const result = await this.storage.delete(key, Number(old.metadata.resourceVersion), { release: strategy.releases(old) });
      if (result.ok) return old;
      if (result.failed === "missing") throw notFound(ref(resource, name));
    }
    throw conflict(ref(resource, name));
  }

  // What the namespace controller does after a namespace is marked for deletion, done at once here.
  private async deleteContents(namespace: string): Promise<void> {
    if ((await this.storage.get(keyFor(resourceByKind("Namespace"), undefined, namespace))) === undefined) return;
    // In reverse discovery order, so workloads go before their pods and the replica controller does not refill them.
    for (const resource of RESOURCES.filter((r) => r.namespaced).reverse()) {
      for (const object of (await this.storage.list(prefixFor(resource, namespace))).items) {
        await this.delete(resource, namespace, object.metadata.name ?? "").catch((error: unknown) => {
          if (!(error instanceof ApiError && error.code === 404)) throw error;
        });
      }
    }
  }
}
