#!/usr/bin/env node
import { CommanderError } from "commander";
import { type Config, parseFlags } from "./flags.js";
import { createLogger } from "@kube-dns/log";
import { startKube2sky } from "./start.js";

let config: Config;
try {
  config = parseFlags(process.argv.slice(2));
} catch (error) {
  process.exit(error instanceof CommanderError ? error.exitCode : 2);
}
const log = createLogger("kube2sky", config.logLevel);
// kube2sky never exits on errors; a promise the client library drops is logged, not fatal.
process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
try {
  const kube2sky = await startKube2sky({ ...config, logger: log });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    kube2sky.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
} catch (error) {
  log.fatal({ err: error }, "kube2sky could not start");
  process.exit(1);
}
