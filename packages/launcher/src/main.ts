#!/usr/bin/env node
import { CommanderError } from "commander";
import { formatReport, reportJson, runDoctor, SourceError } from "@kube-dns/doctor";
import { type DoctorInvocation, EXPLAIN_USAGE_STATUS, type ExplainConfig, type Invocation, parseCommandLine, type StatusConfig, type TreeConfig } from "./flags.js";
import { explainLookup, formatExplanation, openRecordReader, StubClient, UnreachableError } from "@kube-dns/explain";
import { endpointsOf, explainEtcdError } from "@kube-dns/etcd-feed";
import { createLogger } from "@kube-dns/log";
import type { StatusServer } from "@kube-dns/status";
import { readRecords } from "./records.js";
import { doctorOf, serveStatus } from "./status-page.js";
import { formatTree } from "./tree.js";
import { runPod } from "./up.js";

// The `kube-dns` command: one subcommand per job, each returning the process's exit status.
async function main(): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseCommandLine();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  if (invocation.command === "tree") return tree(invocation);
  if (invocation.command === "explain") return explain(invocation);
  if (invocation.command === "status") return status(invocation);
  if (invocation.command === "doctor") return doctor(invocation);
  return runPod(invocation, createLogger("kube-dns", invocation.logLevel, 2), (text) => process.stdout.write(text));
}

async function tree(config: TreeConfig): Promise<number> {
  const logger = createLogger("kube-dns", config.logLevel, 2);
  try {
    const entries = await readRecords(config, config.prefix);
    process.stdout.write(formatTree(entries, config.prefix));
    return 0;
  } catch (error) {
    logger.debug({ err: error }, "reading the records failed");
    process.stderr.write(`kube-dns tree: could not read ${config.prefix} from ${config.etcdServer}: ${explainEtcdError(error)}\n`);
    return 1;
  }
}

// Exit status 0 when the name resolves, 1 when it does not, 2 when the nameserver cannot be asked.
async function explain(config: ExplainConfig): Promise<number> {
  const logger = createLogger("kube-dns", config.logLevel, 2);
  const dns = new StubClient({ host: config.dnsHost, port: config.dnsPort }, config.timeoutMs);
  const reader = openRecordReader({
    endpoints: endpointsOf(config.etcdServer), caFile: config.etcdCaFile, certFile: config.etcdCertFile, keyFile: config.etcdKeyFile, prefix: config.prefix, timeoutMs: config.timeoutMs,
  });
  try {
    const { rawName, namespace, type, client, domain, prefix } = config;
    const request = { rawName, namespace, type, client, domain, prefix, nameserver: config.dnsHost };
    const explanation = await explainLookup(request, (name, type) => dns.ask(name, type), reader);
    process.stdout.write(config.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation));
    return explanation.winner === undefined ? 1 : 0;
  } catch (error) {
    logger.debug({ err: error }, "explain failed");
    const reason = error instanceof UnreachableError ? error.message : `${config.rawName}: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`kube-dns explain: ${reason}\n`);
    return EXPLAIN_USAGE_STATUS;
  } finally {
    dns.close();
    reader.close();
  }
}

async function status(config: StatusConfig): Promise<number> {
  const logger = createLogger("kube-dns", config.logLevel, 2);
  let server: StatusServer;
  try {
    server = await serveStatus(config, logger, doctorOf(config));
  } catch (error) {
    process.stderr.write(`kube-dns status: cannot listen on 127.0.0.1:${config.statusPort}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`kube-dns status page: ${server.url}  (Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}

// Exit 0: the views agree; 1: differences, each printed; 2: a view could not be read (one line on stderr).
async function doctor(config: DoctorInvocation): Promise<number> {
  const logger = createLogger("kube-dns", config.logLevel, 2);
  try {
    const report = await runDoctor(config);
    process.stdout.write(config.json ? reportJson(report) : formatReport(report));
    return report.differences.length === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    logger.debug({ err: error }, "a view could not be read");
    process.stderr.write(`kube-dns doctor: ${error.message}\n`);
    return 2;
  }
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    createLogger("kube-dns", "error", 2).error({ err: error }, "kube-dns failed");
    process.exitCode = 1;
  },
);
