// bench/suite.ts: the whole bench in one command (bench/run). Builds the programs, runs each section, writes
// bench/results/<date>/report.md with its SVG charts and results.json, and (unless QUICK) bench/results/latest.md.
// Sizes and durations come from environment variables (bench/README.md); QUICK=1 runs small, in about 3 minutes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release } from "node:os";
import { join } from "node:path";
import { stopAll, stopOnSignals } from "./cleanup.js";
import { measurePropagation } from "./propagation.js";
import { propagationSection } from "./propagation-report.js";
import { renderReport, type Section } from "./report.js";
import { measureScale } from "./scale.js";
import { memorySection, scaleSection } from "./scale-report.js";
import { measureThroughput } from "./throughput.js";
import { throughputSection } from "./throughput-report.js";

const ROOT = new URL("../", import.meta.url).pathname;
const env = (name: string, full: string, quick: string): string => process.env[name] ?? (process.env["QUICK"] === "1" ? quick : full);
const numbers = (text: string): number[] => text.split(/\s+/).filter(Boolean).map(Number);
const QUICK = process.env["QUICK"] === "1";
const SECTIONS = env("SECTIONS", "throughput propagation scale", "throughput propagation scale").split(/\s+/);
const SETTINGS = {
  NAMES: env("NAMES", "1000", "1000"),
  DURATION: env("DURATION", "10", "3"),
  RATES: env("RATES", "20000 50000", "20000 50000"),
  WORKERS: process.env["WORKERS"] ?? "",
  PROPAGATION_SERVICES: env("PROPAGATION_SERVICES", "10000", "2000"),
  CHANGES: env("CHANGES", "40", "10"),
  SIZES: env("SIZES", "10000 50000 100000", "5000"),
  HEADLESS: env("HEADLESS", "5000", "500"),
  RESTARTS: env("RESTARTS", "0", "0"),
  FIRST_SYNC_TIMEOUT: env("FIRST_SYNC_TIMEOUT", "240", "120"),
};
// What each section needs on PATH, and the Debian package that has it (`./kube-dns setup` installs them all).
const TOOLS: Record<string, string> = { dnsperf: "dnsperf", dnsmasq: "dnsmasq-base", etcd: "etcd-server", etcdctl: "etcd-client", dig: "bind9-dnsutils" };

function progress(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function preflight(): void {
  const missing = Object.entries(TOOLS).filter(([tool]) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(`missing on PATH: ${missing.map(([t]) => t).join(", ")}; install with \`./kube-dns setup\` or ` +
      `\`apt-get install ${[...new Set(missing.map(([, p]) => p))].join(" ")}\` (the bench installs nothing itself)`);
  }
  if (SECTIONS.some((s) => s !== "throughput") && process.getuid?.() !== 0) throw new Error("the propagation and scale sections run the pod, whose skydns serves port 53: run as root");
}

async function main(): Promise<void> {
  stopOnSignals();
  preflight();
  const startedAt = new Date();
  const loadBefore = loadavg()[0]!;
  progress(`sections: ${SECTIONS.join(", ")}; ${JSON.stringify(SETTINGS)}`);
  if (process.env["BUILD"] !== "0") {
    progress("building the programs (pnpm -r build; BUILD=0 skips it)");
    execFileSync("pnpm", ["-r", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }
  const results: Record<string, unknown> = {};
  const sections: Section[] = [];
  if (SECTIONS.includes("throughput")) {
    const workers = SETTINGS.WORKERS === "" ? [undefined] : numbers(SETTINGS.WORKERS);
    const result = await measureThroughput({ names: Number(SETTINGS.NAMES), seconds: Number(SETTINGS.DURATION), rates: numbers(SETTINGS.RATES), workers, progress });
    results["throughput"] = result;
    sections.push(throughputSection(result, Number(SETTINGS.DURATION)));
    write(startedAt, loadBefore, sections, results);
  }
  if (SECTIONS.includes("propagation")) {
    const result = await measurePropagation({ services: Number(SETTINGS.PROPAGATION_SERVICES), changes: Number(SETTINGS.CHANGES), progress });
    results["propagation"] = result;
    sections.push(propagationSection(result));
    write(startedAt, loadBefore, sections, results);
  }
  if (SECTIONS.includes("scale")) {
    const result = await measureScale({ sizes: numbers(SETTINGS.SIZES), headless: Number(SETTINGS.HEADLESS), restarts: SETTINGS.RESTARTS === "1", quick: QUICK, firstSyncTimeoutMs: Number(SETTINGS.FIRST_SYNC_TIMEOUT) * 1000, progress });
    results["scale"] = result;
    sections.push(scaleSection(result), memorySection(result));
  }
  write(startedAt, loadBefore, sections, results);
}

// Writes the report of the sections done so far (called after each, so that a run that fails later leaves them).
function write(startedAt: Date, loadBefore: number, sections: readonly Section[], results: Record<string, unknown>): void {
  const dir = `${startedAt.toISOString().slice(0, 10)}${QUICK ? "-quick" : ""}`;
  const out = join(ROOT, "bench", "results", dir);
  mkdirSync(out, { recursive: true });
  const meta = {
    startedAt,
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: `${cpus().length} cores (load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end), Linux ${release()}, ` +
      `node ${process.version}, ${firstLine("dnsmasq", ["--version"]).split(" ").slice(0, 3).join(" ")}, dnsperf ${firstLine("dnsperf", ["-h"], "Version").replace("Version ", "")}`,
    command: `${Object.entries(process.env).filter(([k]) => k === "QUICK" || k in SETTINGS || k === "SECTIONS" || k === "BUILD").map(([k, v]) => `${k}=${v} `).join("")}bench/run`,
    settings: { ...SETTINGS, QUICK: QUICK ? "1" : "0" },
  };
  writeFileSync(join(out, "results.json"), `${JSON.stringify({ meta, results }, null, 2)}\n`);
  for (const section of sections) for (const figure of section.figures) writeFileSync(join(out, figure.file), figure.svg);
  writeFileSync(join(out, "report.md"), renderReport(meta, sections, "results.json"));
  // A QUICK run is for iterating: the stable link keeps pointing at the last full run.
  if (!QUICK) writeFileSync(join(ROOT, "bench", "results", "latest.md"), renderReport(meta, sections, "results.json", `${dir}/`));
  progress(`written: bench/results/${dir}/report.md (and results.json, ${sections.flatMap((s) => s.figures).length} charts)${QUICK ? "" : "; bench/results/latest.md shows it"}`);
}

function firstLine(command: string, args: string[], containing = ""): string {
  const output = spawnSync(command, args, { encoding: "utf8" });
  return `${output.stdout}${output.stderr}`.split("\n").find((line) => line.includes(containing) && line.trim() !== "")?.trim() ?? command;
}

try {
  await main();
} catch (error) {
  progress(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
