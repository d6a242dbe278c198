import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "./config.js";
import { parseFlags } from "./flags.js";

const argv = (...args: string[]): string[] => args;

describe("parseFlags", () => {
  it("gives v1.2's defaults with no flags", () => {
    expect(parseFlags(argv(), {})).toEqual({ ...DEFAULT_CONFIG, logLevel: "info" });
  });

  it("reads Go durations, ports and the command", () => {
    const flags = parseFlags(argv("--cmd", "true", "--period", "100ms", "--timeout=1m30s", "--latency", "1s", "--port", "0", "--address", "127.0.0.1"), {});
    expect(flags).toMatchObject({ cmd: "true", periodMs: 100, timeoutMs: 90_000, latencyMs: 1000, port: 0, address: "127.0.0.1" });
    expect(Object.isFrozen(flags)).toBe(true);
  });

  it("accepts the v1.2 manifest's single-dash spelling", () => {
    const flags = parseFlags(argv("-cmd=nslookup kubernetes.default.svc.cluster.local 127.0.0.1 >/dev/null", "-port=8080", "-quiet"), {});
    expect(flags).toMatchObject({ cmd: "nslookup kubernetes.default.svc.cluster.local 127.0.0.1 >/dev/null", port: 8080, quiet: true });
  });

  it("takes --quiet with or without a value", () => {
    expect(parseFlags(argv("--quiet"), {}).quiet).toBe(true);
    expect(parseFlags(argv("--quiet=false"), {}).quiet).toBe(false);
  });

  it("falls back to EXEC_HEALTHZ_* variables, and a flag wins over its variable", () => {
    const env = { EXEC_HEALTHZ_PERIOD: "5s", EXEC_HEALTHZ_QUIET: "false", EXEC_HEALTHZ_CMD: "true" };
    expect(parseFlags(argv(), env)).toMatchObject({ periodMs: 5000, quiet: false, cmd: "true" });
    expect(parseFlags(argv("--period", "1s"), env).periodMs).toBe(1000);
  });

  it.each([
    ["--period", "2"],
    ["--period", "0"],
    ["--timeout", "-1s"],
    ["--port", "70000"],
    ["--max-output-bytes", "0"],
    ["--log-level", "loud"],
  ])("refuses %s %s", (name, value) => {
    expect(() => parseFlags(argv(name, value), {})).toThrow(CommanderError);
  });
});
