import { describe, expect, it } from "vitest";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { booleanArg, booleanFlag, durationArg, flag, formatDuration, hostPortArg, parseBoolean, parseDuration, parseHostPort, parsePort, parseProgram, portArg, positiveDurationArg } from "./index.js";

describe("parseDuration", () => {
  it.each([
    ["2s", 2000],
    ["30s", 30_000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["1.5h", 5_400_000],
    ["0", 0],
    ["100us", 0.1],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([[""], ["2"], ["s"], ["2 s"], ["-1s"], ["2sx"], ["1d"]])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(/duration/);
  });

  it("formats back in Go's style", () => {
    expect(formatDuration(2000)).toBe("2s");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(0)).toBe("0s");
  });
});

describe("parseHostPort and parsePort", () => {
  it("reads the shapes Go's net package reads", () => {
    expect(parseHostPort("127.0.0.1:53")).toEqual({ host: "127.0.0.1", port: 53 });
    expect(parseHostPort("[::1]:5353")).toEqual({ host: "::1", port: 5353 });
    expect(parseHostPort(":8080")).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(parseHostPort(":8080", "127.0.0.1")).toEqual({ host: "127.0.0.1", port: 8080 });
  });

  it.each([["127.0.0.1"], ["127.0.0.1:70000"], ["::1:53"], ["a:b"]])("refuses %j", (text) => {
    expect(() => parseHostPort(text)).toThrow(/invalid address/);
  });

  it("reads ports and refuses others", () => {
    expect(parsePort("8081")).toBe(8081);
    expect(() => parsePort("65536")).toThrow(/invalid port/);
    expect(() => parsePort("http")).toThrow(/invalid port/);
  });
});

describe("parseBoolean", () => {
  it.each([["true", true], ["T", true], ["1", true], ["yes", true], ["false", false], ["0", false], ["F", false], ["no", false]])("reads %s as %s", (text, value) => {
    expect(parseBoolean(text)).toBe(value);
  });

  it("refuses anything else instead of guessing", () => {
    expect(() => parseBoolean("flase")).toThrow(/"flase" is not a boolean/);
    expect(() => parseBoolean("")).toThrow(/not a boolean/);
  });
});

describe("commander argParsers", () => {
  it("turn a bad value into commander's usage error, naming the flag", () => {
    const command = new Command("x").exitOverride().configureOutput({ writeErr: () => undefined });
    command.addOption(new Option("--period <duration>").argParser(positiveDurationArg));
    expect(() => command.parse(["--period", "0"], { from: "user" })).toThrow(CommanderError);
    expect(() => command.parse(["--period", "2x"], { from: "user" })).toThrow(/option '--period <duration>' argument '2x' is invalid\. invalid duration/);
    expect(command.parse(["--period", "1m30s"], { from: "user" }).opts()).toEqual({ period: 90_000 });
  });

  it("read ports, addresses, durations and booleans", () => {
    expect(portArg("8081")).toBe(8081);
    expect(hostPortArg("127.0.0.1")(":53")).toEqual({ host: "127.0.0.1", port: 53 });
    expect(durationArg("0")).toBe(0);
    expect(booleanArg("false")).toBe(false);
    // An optional-value flag (`--quiet` alone) reaches its parser as the preset itself.
    expect(booleanArg(true as unknown as string)).toBe(true);
    expect(() => portArg("http")).toThrow(InvalidArgumentError);
    expect(() => booleanArg("maybe")).toThrow(InvalidArgumentError);
  });
});

describe("parseProgram", () => {
  const program = (): Command =>
    new Command("demo")
      .exitOverride()
      .configureOutput({ writeErr: () => {}, writeOut: () => {} })
      .addOption(flag("--period <duration>", "time between runs", "DEMO_PERIOD").argParser(durationArg).default(2000, "2s"))
      .addOption(flag("--level <level>", "how loud", "DEMO_LEVEL").choices(["info", "warn"]).default("info"))
      .addOption(booleanFlag("quiet", "keep quiet", "DEMO_QUIET"))
      .addOption(flag("--no-rec", "do not forward", "DEMO_NO_REC"));

  it("reads Go's -flag and -flag=value forms and --flag=false", () => {
    expect(parseProgram(program(), ["-period=5s", "-quiet", "-level", "warn"], {})).toEqual({ period: 5000, quiet: true, level: "warn", rec: true });
    expect(parseProgram(program(), ["--quiet=false"], {})).toMatchObject({ quiet: false });
    expect(parseProgram(program(), ["-quiet=f"], {})).toMatchObject({ quiet: false });
  });

  it("takes the given environment, the command line winning, and never process.env", () => {
    process.env["DEMO_PERIOD"] = "9s";
    try {
      expect(parseProgram(program(), [], {})).toMatchObject({ period: 2000 });
      expect(parseProgram(program(), [], { DEMO_PERIOD: "1m", DEMO_QUIET: "t", DEMO_NO_REC: "true" })).toMatchObject({ period: 60_000, quiet: true, rec: false });
      expect(parseProgram(program(), ["--period=3s"], { DEMO_PERIOD: "1m" })).toMatchObject({ period: 3000 });
    } finally {
      delete process.env["DEMO_PERIOD"];
    }
  });

  it("names the environment variable of a bad value", () => {
    expect(() => parseProgram(program(), [], { DEMO_PERIOD: "soon" })).toThrow(/DEMO_PERIOD="soon" is invalid/);
    expect(() => parseProgram(program(), [], { DEMO_QUIET: "maybe" })).toThrow(/DEMO_QUIET/);
    expect(() => parseProgram(program(), [], { DEMO_LEVEL: "loud" })).toThrow(/DEMO_LEVEL="loud" is invalid: allowed choices are info, warn/);
  });

  it("shows each variable in --help", () => {
    expect(program().helpInformation()).toContain("time between runs (env: DEMO_PERIOD)");
  });

  it("leaves a value that merely starts with a dash alone", () => {
    expect(() => parseProgram(program(), ["-unknown"], {})).toThrow(CommanderError);
  });
});
