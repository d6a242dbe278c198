import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { type Config, DEFAULT_CONFIG } from "./config.js";
import { createLogger, type Logger } from "@kube-dns/log";
import { startProbeLoop } from "./loop.js";
import { createMetrics } from "./metrics.js";
import type { RunResult } from "./run.js";
import { createHealthzServer } from "./server.js";
import { healthOf, type Latest, outputOf, seedResult } from "./status.js";

/** Dependencies are what startExecHealthz can be handed instead of its defaults. */
export interface Dependencies {
  /** Silent unless given. */
  readonly logger?: Logger;
}

/** ExecHealthz is a running exec-healthz: its base URL (`http://127.0.0.1:PORT`) and a way to stop it. */
export interface ExecHealthz {
  readonly url: string;
  readonly port: number;
  /** Stops the loop (killing a run in progress) and closes the HTTP server. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * startExecHealthz serves /healthz on config's address and port and runs config's command in a loop,
 * resolving once the server listens. Unset fields take DEFAULT_CONFIG's values.
 */
export async function startExecHealthz(config: Partial<Config> = {}, dependencies: Dependencies = {}): Promise<ExecHealthz> {
  const settings: Config = { ...DEFAULT_CONFIG, ...config };
  const logger = dependencies.logger ?? createLogger("exec-healthz", "silent");
  const metrics = createMetrics();

  // Seeded "ok at start" as v1.2 did (README, Health): a liveness probe may come before the first run ends.
  let latest: Latest = seedResult(Date.now());
  const onResult = (result: RunResult): void => {
    metrics.observe(result);
    const wasOk = latest.result.ok;
    latest = { result, seeded: false };
    const fields = { durationSeconds: result.durationMs / 1000, output: outputOf(result) };
    if (!result.ok) logger.warn({ ...fields, error: result.error }, "health command failed");
    else if (!wasOk) logger.info(fields, "health command succeeds again");
    else if (!settings.quiet) logger.info(fields, "health command succeeded");
  };

  const server = createHealthzServer(() => healthOf(latest, Date.now(), settings.latencyMs), metrics);
  server.listen(settings.port, settings.address);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const { cmd: command, periodMs, timeoutMs, maxOutputBytes } = settings;
  const loop = startProbeLoop({ command, periodMs, timeoutMs, maxOutputBytes, onResult });

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${dialHost(settings.address)}:${port}`,
    port,
    stop() {
      stopping ??= (async () => {
        await loop.stop();
        server.closeAllConnections();
        await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      })();
      return stopping;
    },
  };
}

// A wildcard listen address is reached on loopback.
function dialHost(address: string): string {
  if (address === "0.0.0.0" || address === "") return "127.0.0.1";
  if (address === "::") return "[::1]";
  return address.includes(":") ? `[${address}]` : address;
}
