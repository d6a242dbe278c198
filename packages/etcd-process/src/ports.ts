import { createServer } from "node:net";

/**
 * freePort asks the kernel for a TCP port that is free on host right now. Another process could take it
 * before the caller binds it; callers that bind a child process retry on "address in use".
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the port the kernel chose"));
      });
    });
  });
}
