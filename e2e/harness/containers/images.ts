import { spawn } from "node:child_process";
import { REPO_ROOT } from "../launcher-process.js";

/**
 * buildImages runs docker/images.sh (what `./kube-dns images` runs): the base images' stand-ins where there is no
 * registry, then each image of the manifest whose inputs changed. Its progress goes to this process's stderr, a
 * line per step. Resolves with the size table it prints (IMAGE SIZE lines); a failed build rejects.
 */
export function buildImages(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker/images.sh", [], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"], timeout: timeoutMs, killSignal: "SIGKILL" });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`docker/images.sh failed (${signal ?? `exit ${String(code)}`}); its log is in .kube-dns/images/`));
    });
  });
}
