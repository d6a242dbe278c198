#!/usr/bin/env node
import { once } from "node:events";
import { CommanderError } from "commander";
import { type Flags, parseFlags } from "./flags.js";
import { startExecHealthz } from "./healthz.js";
import { createLogger } from "@kube-dns/log";

// The exec-healthz container, in a straight line: flags, the loop and the HTTP server, wait for SIGTERM
// (the kubelet) or SIGINT (Ctrl-C), stop cleanly. Resolves with the exit status.
async function main(): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags();
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return error.exitCode; // commander has already printed the reason or the help
  }
  const logger = createLogger("exec-healthz", flags.logLevel);
  const healthz = await startExecHealthz(flags, { logger });
  logger.info({ port: healthz.port, address: flags.address, cmd: flags.cmd, periodSeconds: flags.periodMs / 1000 }, `serving /healthz on ${flags.address}:${healthz.port}`);
  const [signal] = (await Promise.race([once(process, "SIGTERM"), once(process, "SIGINT")])) as [NodeJS.Signals];
  logger.info({ signal }, "stopping");
  await healthz.stop();
  logger.flush();
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    createLogger("exec-healthz", "error").error({ err: error }, "exec-healthz failed");
    process.exitCode = 1;
  },
);
