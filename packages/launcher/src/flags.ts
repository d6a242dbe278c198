import { parseDuration } from "@kube-dns/flagvalues";
import { DEFAULT_PREFIX } from "@kube-dns/msg";
import { Command, InvalidArgumentError, Option } from "commander";
import type { LogLevel } from "./log.js";

/** TreeConfig is `kube-dns tree`: which etcd to read and where the records live. */
export interface TreeConfig {
  readonly command: "tree";
  readonly logLevel: LogLevel;
  readonly etcdServer: string;
  readonly prefix: string;
  readonly timeoutMs: number;
}

/** UpConfig is `kube-dns up`: not wired to the containers yet (issue 4). */
export interface UpConfig {
  readonly command: "up";
  readonly logLevel: LogLevel;
}

/** Invocation is the parsed command line: one subcommand and its settings. */
export type Invocation = TreeConfig | UpConfig;

const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

/**
 * parseCommandLine reads `kube-dns SUBCOMMAND [flags]` (argv as in process.argv); each flag falls back to its
 * KUBE_DNS_* environment variable, then to its default. Throws commander's CommanderError on bad input or --help.
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  let invocation: Invocation | undefined;
  const program = new Command("kube-dns")
    .description("Runs the kube-dns pod locally and inspects its records.")
    .exitOverride()
    .addOption(flag("--log-level <level>", "the launcher's own log: debug, info, warn, error or silent", "LOG_LEVEL").choices(LOG_LEVELS).default("warn"));
  program
    .command("tree")
    .description("print the records under the prefix as a tree, each value decoded")
    .addOption(flag("--etcd-server <url>", "etcd client URL", "ETCD_SERVER").default("http://127.0.0.1:2379"))
    .addOption(flag("--prefix <path>", "etcd prefix of the records", "PREFIX").argParser(etcdPrefix).default(DEFAULT_PREFIX))
    .addOption(flag("--timeout <duration>", "give up on etcd after this long", "TIMEOUT").argParser(duration).default(5000, "5s"))
    .action((options: { etcdServer: string; prefix: string; timeout: number }) => {
      const { etcdServer, prefix, timeout } = options;
      invocation = { command: "tree", logLevel: logLevel(), etcdServer, prefix, timeoutMs: timeout };
    });
  program
    .command("up")
    .description("run the kube-dns pod locally: etcd, kube2sky, skydns, exec-healthz (not wired yet)")
    .action(() => {
      invocation = { command: "up", logLevel: logLevel() };
    });
  const logLevel = (): LogLevel => program.opts<{ logLevel: LogLevel }>().logLevel;
  program.parse(argv.slice(2), { from: "user" });
  if (invocation === undefined) throw new Error("no subcommand ran");
  return Object.freeze(invocation);
}

function flag(flags: string, description: string, envSuffix: string): Option {
  return new Option(flags, description).env(`KUBE_DNS_${envSuffix}`);
}

function duration(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
  if (ms <= 0) throw new InvalidArgumentError("must be more than 0");
  return ms;
}

function etcdPrefix(text: string): string {
  if (!/^\/[^/]/.test(text)) throw new InvalidArgumentError("must be an absolute etcd path such as /skydns");
  return text.replace(/\/+$/, "");
}
