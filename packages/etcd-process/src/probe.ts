import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { EtcdTls } from "./tls.js";

/**
 * askJson sends one request to a member's HTTP endpoint (`/health`, the v3 API's JSON gateway) and returns the decoded
 * body. Over https it trusts tls.caFile and presents the member's own certificate, so it also works with
 * --client-cert-auth; Node's fetch can do neither without another library.
 */
export function askJson(url: string, tls: EtcdTls | undefined, timeoutMs: number, body?: string): Promise<unknown> {
  const secure = url.startsWith("https:");
  if (secure && tls === undefined) return Promise.reject(new Error(`${url} needs TLS settings`));
  const options = {
    method: body === undefined ? "GET" : "POST",
    timeout: timeoutMs,
    ...(secure && tls !== undefined ? { ca: readFileSync(tls.caFile), cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(url, options, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(error as Error);
        }
      });
      response.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${url} did not answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
