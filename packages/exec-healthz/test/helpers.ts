/** HttpAnswer is a status and a text body. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/** get fetches url over loopback and reads the body as text. */
export async function get(url: string, method = "GET"): Promise<HttpAnswer> {
  const response = await fetch(url, { method, signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text(), contentType: response.headers.get("content-type") ?? "" };
}
