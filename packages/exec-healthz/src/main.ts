#!/usr/bin/env node
import { CommanderError } from "commander";
import { parseFlags } from "./flags.js";
import { startExecHealthz } from "./healthz.js";
import { createLogger } from "./log.js";

// The exec-healthz container: flags in, the loop and the HTTP server up, a clean stop on SIGTERM or SIGINT.
async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
  const logger = createLogger(flags.logLevel);
  const healthz = await startExecHealthz(flags, { logger });
  logger.info({ port: healthz.port, address: flags.address, cmd: flags.cmd, period: flags.periodMs / 1000 }, `serving /healthz on ${flags.address}:${healthz.port}`);
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, "stopping");
    healthz.stop().then(
      () => logger.flush(),
      (error: unknown) => {
        logger.error({ err: error }, "stop failed");
        process.exitCode = 1;
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  createLogger("error").error({ err: error }, "exec-healthz failed");
  process.exitCode = 1;
});
