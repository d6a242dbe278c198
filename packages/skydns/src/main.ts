#!/usr/bin/env node
import cluster from "node:cluster";
import { CommanderError } from "commander";
import { parseFlags } from "./flags.js";
import { loggerFor, startSkyDNS } from "./skydns.js";
import { startPrimary, startWorker } from "./workers.js";

// The container entry: flags in, server up (alone, or as the primary or one worker of --workers), stop cleanly on
// SIGTERM/SIGINT.
async function main(): Promise<void> {
  let config;
  try {
    config = parseFlags();
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`skydns: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = loggerFor(config);
  const server = config.workers <= 1 ? await startSkyDNS(config, { log }) : cluster.isPrimary ? await startPrimary(config, log) : await startWorker(config, log);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: (error as Error).message }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`skydns: ${describeStartError(error)}\n`);
  process.exit(1);
});

// An address that is taken or not ours is an operator's problem, not a bug: say which, without a stack trace.
function describeStartError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const address = (error as { address?: string; port?: number }).address;
  const where = address === undefined ? "" : ` ${address}:${(error as { port?: number }).port ?? ""}`;
  if (code === "EADDRINUSE") return `cannot listen on${where}: the address is already in use (another DNS server? pick one with --addr)`;
  if (code === "EACCES") return `cannot listen on${where}: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)`;
  if (code === "EADDRNOTAVAIL") return `cannot listen on${where}: no interface has that address`;
  return (error as Error).stack ?? String(error);
}
