import { booleanFlag, type Env, flag, parseProgram, portArg, positiveDurationArg } from "@kube-dns/flagvalues";
import { Command, InvalidArgumentError } from "commander";
import { type Config, DEFAULT_CONFIG } from "./config.js";
import { LOG_LEVELS, type LogLevel } from "@kube-dns/log";

/** Flags are the parsed command line: the Config plus how much to log. */
export interface Flags extends Config {
  readonly logLevel: LogLevel;
}

// What commander hands back: attribute names from the flags, values after the argParsers.
interface Parsed {
  cmd: string;
  period: number;
  timeout: number;
  latency: number;
  port: number;
  address: string;
  quiet: boolean;
  maxOutputBytes: number;
  logLevel: LogLevel;
}

/**
 * parseFlags reads exec-healthz's command line (without node and the script) and environment; each flag falls back
 * to its EXEC_HEALTHZ_* environment variable, then to v1.2's default. Go's single-dash spelling (`-cmd=...`, as in
 * the v1.2 manifest) is accepted too. Throws commander's CommanderError on bad input or --help.
 */
export function parseFlags(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): Flags {
  const command = new Command("exec-healthz")
    .description("Runs a command every period and serves its last result at /healthz.")
    .exitOverride()
    .addOption(flag("--cmd <command>", "shell command to run (sh -c)", "EXEC_HEALTHZ_CMD").default(DEFAULT_CONFIG.cmd))
    .addOption(flag("--period <duration>", "time between runs", "EXEC_HEALTHZ_PERIOD").argParser(positiveDurationArg).default(DEFAULT_CONFIG.periodMs, "2s"))
    .addOption(flag("--timeout <duration>", "kill a run (and its process group) after this long", "EXEC_HEALTHZ_TIMEOUT").argParser(positiveDurationArg).default(DEFAULT_CONFIG.timeoutMs, "5s"))
    .addOption(flag("--latency <duration>", "maximum age of the last result for a 200", "EXEC_HEALTHZ_LATENCY").argParser(positiveDurationArg).default(DEFAULT_CONFIG.latencyMs, "30s"))
    .addOption(flag("--port <port>", "TCP port to serve /healthz on (0: any free port)", "EXEC_HEALTHZ_PORT").argParser(portArg).default(DEFAULT_CONFIG.port))
    .addOption(flag("--address <ip>", "address to serve on", "EXEC_HEALTHZ_ADDRESS").default(DEFAULT_CONFIG.address))
    .addOption(booleanFlag("quiet", "keep successful runs out of the log", "EXEC_HEALTHZ_QUIET", DEFAULT_CONFIG.quiet))
    .addOption(flag("--max-output-bytes <n>", "output kept per run; the rest is cut", "EXEC_HEALTHZ_MAX_OUTPUT_BYTES").argParser(count).default(DEFAULT_CONFIG.maxOutputBytes))
    .addOption(flag("--log-level <level>", "trace, debug, info, warn, error, fatal or silent", "EXEC_HEALTHZ_LOG_LEVEL").choices(LOG_LEVELS).default("info"));
  const options = parseProgram<Parsed>(command, argv, env);
  return Object.freeze({
    cmd: options.cmd,
    periodMs: options.period,
    timeoutMs: options.timeout,
    latencyMs: options.latency,
    port: options.port,
    address: options.address,
    quiet: options.quiet,
    maxOutputBytes: options.maxOutputBytes,
    logLevel: options.logLevel,
  });
}

function count(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return Number(text);
}


