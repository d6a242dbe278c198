import { badRequest } from "../api/status.js";
import { isJsonObject } from "../api/types.js";

type Container = Record<string, unknown> | unknown[];

function parsePointer(pointer: unknown): string[] {
  if (typeof pointer !== "string" || (pointer !== "" && !pointer.startsWith("/"))) throw badRequest(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  // RFC 6901 section 4: ~1 is "/" and ~0 is "~", decoded in that order.
  return pointer === "" ? [] : pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(document: unknown, tokens: string[]): { parent: Container; last: string } {
  let node = document;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isJsonObject(node) ? node[token] : undefined;
  }
  if (!Array.isArray(node) && !isJsonObject(node)) throw badRequest(`JSON patch path ${tokens.join("/")} does not exist`);
  return { parent: node, last: tokens[tokens.length - 1] ?? "" };
}

function read(document: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) return document;
  const { parent, last } = parentOf(document, tokens);
  const value = Array.isArray(parent) ? parent[Number(last)] : parent[last];
  if (value === undefined) throw badRequest(`JSON patch path /${tokens.join("/")} does not exist`);
  return value;
}

function remove(document: unknown, tokens: string[]): void {
  read(document, tokens);
  const { parent, last } = parentOf(document, tokens);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
}

function add(document: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(document, tokens);
  if (!Array.isArray(parent)) parent[last] = value;
  else if (last === "-") parent.push(value);
  else {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw badRequest(`JSON patch index ${last} is out of range`);
    parent.splice(index, 0, value);
  }
  return document;
}

/** applyJsonPatch applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test) to a copy of document. */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest("a JSON patch must be a list of operations");
  let result = structuredClone(document);
  for (const operation of patch) {
    if (!isJsonObject(operation)) throw badRequest("a JSON patch operation must be an object");
    const path = parsePointer(operation["path"]);
    switch (operation["op"]) {
      case "add":
        result = add(result, path, structuredClone(operation["value"]));
        break;
      case "remove":
        remove(result, path);
        break;
      case "replace":
        read(result, path);
        if (path.length > 0) remove(result, path);
        result = add(result, path, structuredClone(operation["value"]));
        break;
      case "move":
      case "copy": {
        const from = parsePointer(operation["from"]);
        const value = structuredClone(read(result, from));
        if (operation["op"] === "move") remove(result, from);
        result = add(result, path, value);
        break;
      }
      case "test":
        if (JSON.stringify(read(result, path)) !== JSON.stringify(operation["value"])) throw badRequest(`JSON patch test failed at ${String(operation["path"])}`);
        break;
      default:
        throw badRequest(`unknown JSON patch operation ${JSON.stringify(operation["op"])}`);
    }
  }
  return result;
}
