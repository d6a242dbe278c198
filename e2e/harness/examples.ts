import { join } from "node:path";
import { REPO_ROOT } from "./launcher-process.js";

/** example returns the path of a manifest in manifests/examples, the files the seeds create with kubectl. */
export function example(fileName: string): string {
  return join(REPO_ROOT, "manifests", "examples", fileName);
}
