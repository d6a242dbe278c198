import type { HttpAnswer } from "./played-pod.js";

/** Probe is one of the manifest's probes: the container it belongs to and the port and path it asks. */
export interface Probe {
  readonly container: string;
  readonly port: number;
  readonly path: string;
}

/** ProbeFailure is one probe that did not answer 200 in time. */
export interface ProbeFailure {
  readonly probe: Probe;
  readonly atMs: number;
  readonly answer: HttpAnswer;
}

/**
 * ProbeWatch asks every probe every periodMs, as the kubelet would (podman kube play runs none without systemd), and
 * keeps each answer other than 200 until stop(). get answers within its own timeout (the probes' timeoutSeconds).
 */
export class ProbeWatch {
  readonly failures: ProbeFailure[] = [];
  private asked = 0;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(probes: readonly Probe[], get: (port: number, path: string) => Promise<HttpAnswer>, periodMs = 2000) {
    this.loop = (async () => {
      while (!this.stopped) {
        const started = Date.now();
        await Promise.all(
          probes.map(async (probe) => {
            const answer = await get(probe.port, probe.path).catch((error: unknown) => ({ status: 0, body: String(error) }));
            this.asked++;
            if (answer.status !== 200) this.failures.push({ probe, atMs: started, answer });
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, periodMs - (Date.now() - started))));
      }
    })();
  }

  /** stop ends the watch and returns how many probes were asked. */
  async stop(): Promise<number> {
    this.stopped = true;
    await this.loop;
    return this.asked;
  }
}
