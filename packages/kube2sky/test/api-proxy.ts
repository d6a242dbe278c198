import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** Reply is what an intercept answers instead of the API server: a status and a JSON body. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** Intercept sees every request first; a Reply answers it, undefined lets it through to the API server. */
export type Intercept = (url: URL) => Reply | undefined | Promise<Reply | undefined>;

/** ApiProxy is a plain HTTP proxy in front of an API server that records what its client asked. */
export interface ApiProxy {
  /** Base URL, for `--kube-master-url`. */
  readonly url: string;
  /** Path and query of every request, in arrival order. */
  readonly requests: string[];
  /** Closes the listener and every open connection, watches included. */
  stop(): Promise<void>;
}

/** startApiProxy forwards every request (watches stream through) to upstream unless intercept answers it. */
export async function startApiProxy(upstream: string, intercept: Intercept = () => undefined): Promise<ApiProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const out = httpRequest(new URL(req.url ?? "/", upstream), { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on("error", () => res.destroy());
    // A client that leaves (an aborted watch) ends the upstream request too.
    res.on("close", () => out.destroy());
    req.pipe(out);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    requests.push(url.pathname + url.search);
    Promise.resolve(intercept(url)).then(
      (reply) => {
        if (reply === undefined) return forward(req, res);
        res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
      },
      () => res.destroy(),
    );
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** expiredStatus is the Status a kube-apiserver sends for a continue token whose revision was compacted. */
export function expiredStatus(): Reply {
  return {
    status: 410,
    body: {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "The provided continue parameter is too old to display a consistent list result.",
      reason: "Expired",
      code: 410,
    },
  };
}

