#!/usr/bin/env node
import { CommanderError } from "commander";
import { parseFlags } from "./flags.js";
import { createLogger } from "@kube-dns/log";
import { startDevApiServer } from "./server.js";

// The dev-apiserver program: flags in, the server up, its URL printed, a clean stop on SIGTERM or SIGINT.
async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags();
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
  const logger = createLogger("dev-apiserver", flags.logLevel);
  const server = await startDevApiServer({
    etcdUrl: flags.etcdServers,
    host: flags.bindAddress,
    port: flags.port,
    serviceRange: flags.serviceClusterIPRange,
    podRange: flags.podCidr,
    kubeconfigPath: flags.kubeconfigOut,
    token: flags.token,
    logLevel: flags.logLevel,
    bookmarkIntervalMs: flags.bookmarkIntervalMs,
  });
  // The one line a launcher reads: where the server is and where its kubeconfig was written.
  process.stdout.write(`dev-apiserver serving ${server.url} kubeconfig ${server.kubeconfigPath}\n`);
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, "stopping");
    server.stop().then(
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
  createLogger("dev-apiserver", "error").error({ err: error }, "dev-apiserver failed");
  process.exitCode = 1;
});
