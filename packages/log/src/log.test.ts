import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, isLogLevel, LOG_LEVELS } from "./index.js";

function collect(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join("").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("createLogger", () => {
  it("writes one JSON line with the program's name, an ISO time, the level and the fields", () => {
    const out = collect();
    createLogger("skydns", "info", out.stream).info({ records: 8 }, "loaded records from etcd");
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 30, name: "skydns", records: 8, msg: "loaded records from etcd" });
    expect(new Date(String(line?.["time"])).toISOString()).toBe(line?.["time"]);
    expect(Object.keys(line ?? {})).not.toContain("pid");
    expect(Object.keys(line ?? {})).not.toContain("hostname");
  });

  it("drops lines below its level, and silent drops them all", () => {
    const out = collect();
    const logger = createLogger("kube2sky", "warn", out.stream);
    logger.info("quiet by default");
    logger.warn("but warns");
    createLogger("kube2sky", "silent", out.stream).error("never seen");
    expect(out.lines().map((line) => line["msg"])).toEqual(["but warns"]);
  });
});

describe("LOG_LEVELS", () => {
  it("names pino's levels, and isLogLevel accepts exactly them", () => {
    expect(LOG_LEVELS).toEqual(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);
    expect(LOG_LEVELS.every(isLogLevel)).toBe(true);
    expect(isLogLevel("loud")).toBe(false);
    expect(isLogLevel("WARN")).toBe(false);
  });
});
