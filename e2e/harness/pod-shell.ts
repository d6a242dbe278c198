import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "./command.js";
import type { Transcript } from "./transcript.js";


/**
 * PodShell runs real resolver clients (dig, nslookup, getent) as a pod would: in a private mount namespace whose
 * /etc/resolv.conf is the pod's own file, bind-mounted over the machine's, which stays untouched; inside a network
 * namespace of the test's when given one (ip netns exec). Needs root (unshare -m); the mount namespace dies with the
 * command, so nothing is left behind.
 */
export class PodShell {
  private readonly dir: string;
  private readonly resolvConfPath: string;

  constructor(
    readonly name: string,
    readonly resolvConf: string,
    private readonly transcript?: Transcript,
    private readonly netns?: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `kube-dns-pod-${name}-`));
    this.resolvConfPath = join(this.dir, "resolv.conf");
    writeFileSync(this.resolvConfPath, resolvConf);
    transcript?.note(`pod ${name}: /etc/resolv.conf\n${resolvConf.trimEnd()}`);
  }

  /** run executes command with args inside the pod's mount namespace, bounded by timeoutMs. */
  run(command: string, args: readonly string[], timeoutMs = 15_000): Promise<CommandResult> {
    const script = 'mount --bind "$0" /etc/resolv.conf && exec "$@"';
    return new Promise((resolve, reject) => {
      const unshare = ["unshare", "-m", "--propagation", "private", "--", "sh", "-c", script, this.resolvConfPath, command, ...args];
      const [program, ...programArgs] = this.netns === undefined ? unshare : ["ip", "netns", "exec", this.netns, ...unshare];
      const child = spawn(program!, programArgs, {
        stdio: ["ignore", "pipe", "pipe"],
        timeout: timeoutMs,
        killSignal: "SIGKILL",
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.once("error", reject);
      child.once("close", (code, signal) => {
        const result = { stdout, stderr, code: code ?? (signal ? 128 : -1) };
        this.transcript?.command(this.name, [command, ...args].join(" "), result);
        resolve(result);
      });
    });
  }

  /** dispose removes the pod's temporary files. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
