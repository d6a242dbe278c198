import type { KubeObject } from "../api/types.js";

/**
 * encode serializes an object for etcd. The resourceVersion is not stored: like kube-apiserver, it is the
 * key's etcd modification revision, filled in on every read.
 */
export function encode(object: KubeObject): Buffer {
  const { resourceVersion: _dropped, ...metadata } = object.metadata;
  return Buffer.from(JSON.stringify({ ...object, metadata }));
}

/** decode parses a stored value and stamps it with the revision that last modified it. */
export function decode(value: Buffer, modRevision: string | number): KubeObject {
  const object = JSON.parse(value.toString("utf8")) as KubeObject;
  object.metadata = { ...object.metadata, resourceVersion: String(modRevision) };
  return object;
}
