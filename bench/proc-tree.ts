import { readdirSync, readFileSync } from "node:fs";
import { cpuSeconds, type Memory, memoryOf } from "./proc-stat.js";

/** treePids is a process and all its descendants (threads share the pid; worker processes do not). */
export function treePids(pid: number): number[] {
  const found = [pid];
  for (let at = 0; at < found.length && found.length < 1000; at++) {
    try {
      for (const task of readdirSync(`/proc/${found[at]}/task`)) {
        const children = readFileSync(`/proc/${found[at]}/task/${task}/children`, "utf8").trim();
        if (children !== "") found.push(...children.split(" ").map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** treeCpuSeconds is the CPU time (user + system) of a process and its descendants. */
export function treeCpuSeconds(pid: number): number {
  return treePids(pid).reduce((sum, p) => {
    try {
      return sum + cpuSeconds(p);
    } catch {
      return sum;
    }
  }, 0);
}

/** treeMemory sums VmRSS and VmHWM over a process and its descendants (an upper bound for shared pages). */
export function treeMemory(pid: number): Memory {
  return treePids(pid).map(memoryOf).reduce((a, b) => ({ rssMb: a.rssMb + b.rssMb, peakMb: a.peakMb + b.peakMb }));
}
