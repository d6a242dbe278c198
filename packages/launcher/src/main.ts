#!/usr/bin/env node
import { CommanderError } from "commander";
import { formatReport, reportJson, runDoctor, SourceError } from "@kube-dns/doctor";
import { type DoctorInvocation, type Invocation, parseCommandLine, type TreeConfig } from "./flags.js";
import { explainEtcdError } from "@kube-dns/etcd-feed";
import { createLogger } from "@kube-dns/log";
import { readRecords } from "./records.js";
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
