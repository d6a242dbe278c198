import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { decodeProtobuf } from "./protobuf.js";
import { ApiError, badRequest } from "../api/status.js";

/** MAX_BODY_BYTES is kube-apiserver's request size limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** readBody collects a request body, refusing one larger than maxBytes with 413. */
export async function readBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${maxBytes}`);
}

/** PROTOBUF_TYPE is the media type of Kubernetes' protobuf encoding, which kubectl's typed clients send. */
const PROTOBUF_TYPE = "application/vnd.kubernetes.protobuf";

/**
 * parseBody decodes a JSON or YAML body, or a protobuf one of a served kind (what kubectl's typed clients send:
 * `kubectl create namespace`, `create service`, `create deployment`); anything unreadable is a 400 or 415 Status,
 * never a crash.
 */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === PROTOBUF_TYPE) return decodeProtobuf(body);
  if (type !== "" && !type.includes("json") && !type.includes("yaml")) {
    throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format (${type}): dev-apiserver reads JSON, YAML and protobuf`);
  }
  const text = body.toString("utf8");
  if (text.trim() === "") throw badRequest("the request body is empty");
  try {
    if (type === "application/yaml" || type === "application/x-yaml" || type === "text/yaml") return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`the request body is not valid ${type.includes("yaml") ? "YAML" : "JSON"}: ${(error as Error).message}`);
  }
}
