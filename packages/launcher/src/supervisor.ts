import { EventEmitter } from "node:events";
import { type BackoffOptions, KUBELET_BACKOFF, ranLongEnough, restartDelayMs } from "./backoff.js";
import { type ChildSpec, type ExitStatus, type Incarnation, launch, type Output } from "./child.js";
import { runProbe } from "./probe.js";

/** SupervisorOptions tune restarts and stopping; every field has the kubelet's default. */
export interface SupervisorOptions {
  /** Restart back-off: 10s doubling to 5m unless given (tests use a few milliseconds). */
  readonly backoff?: BackoffOptions;
  /** Between SIGTERM and SIGKILL on stop() or a failed liveness probe; 30s (terminationGracePeriodSeconds) unless given. */
  readonly graceMs?: number;
  /** Receives the children's prefixed lines; the launcher's own stdout and stderr unless given. */
  readonly output?: Output;
}

/** ChildState is where a child is in its life: running, waiting out its back-off, or stopped for good. */
export type ChildState = "running" | "backoff" | "stopped";

/** ChildStatus is a snapshot of one supervised child. */
export interface ChildStatus {
  readonly name: string;
  readonly state: ChildState;
  readonly pid: number | undefined;
  /** Restarts so far (the kubelet's restartCount). */
  readonly restarts: number;
  readonly ready: boolean;
  readonly lastExit: ExitStatus | undefined;
}

/** SupervisorEvents are what a Supervisor emits, each with the child's name first. */
export interface SupervisorEvents {
  started: [name: string, pid: number | undefined, restarts: number];
  exited: [name: string, status: ExitStatus, restartInMs: number | undefined];
  ready: [name: string, ready: boolean];
  unhealthy: [name: string];
  stopped: [];
  /** A probe loop failed on a bug; without a listener it is thrown as an uncaught exception, as EventEmitter does. */
  error: [error: unknown];
}

interface Entry {
  readonly spec: ChildSpec;
  state: ChildState;
  incarnation: Incarnation | undefined;
  probes: AbortController | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  restarts: number;
  backoffStep: number;
  ready: boolean;
  lastExit: ExitStatus | undefined;
}

/**
 * Supervisor runs named child processes like a kubelet runs a pod's containers: it forwards their output with a
 * `[name] ` prefix, restarts them with back-off when they exit, kills and restarts them when their liveness probe
 * fails, tracks readiness, and on stop() ends them all (SIGTERM, then SIGKILL after the grace period), process groups included.
 */
export class Supervisor extends EventEmitter<SupervisorEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly backoff: BackoffOptions;
  private readonly graceMs: number;
  private readonly output: Output;
  private stopping: Promise<void> | undefined;

  constructor(options: SupervisorOptions = {}) {
    super();
    this.backoff = options.backoff ?? KUBELET_BACKOFF;
    this.graceMs = options.graceMs ?? 30_000;
    this.output = options.output ?? ((text, stream) => process[stream].write(text));
  }

  /** start launches a child; a name may be used once, and nothing starts after stop(). */
  start(spec: ChildSpec): void {
    if (this.stopping !== undefined) throw new Error(`supervisor is stopping; not starting ${spec.name}`);
    if (this.entries.has(spec.name)) throw new Error(`a child named ${spec.name} is already supervised`);
    const entry: Entry = { spec, state: "running", incarnation: undefined, probes: undefined, restartTimer: undefined, restarts: 0, backoffStep: 0, ready: false, lastExit: undefined };
    this.entries.set(spec.name, entry);
    this.run(entry);
  }

  /** status is a snapshot of one child, or undefined for a name never started. */
  status(name: string): ChildStatus | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined) return undefined;
    const { state, incarnation, restarts, ready, lastExit } = entry;
    return { name, state, pid: state === "running" ? incarnation?.pid : undefined, restarts, ready, lastExit };
  }

  /** statuses are snapshots of every child, in start order. */
  statuses(): ChildStatus[] {
    return [...this.entries.keys()].flatMap((name) => this.status(name) ?? []);
  }

  /** waitReady resolves once the child is ready; it rejects after timeoutMs, when the supervisor stops, or for an unknown name. */
  waitReady(name: string, timeoutMs: number): Promise<void> {
    const status = this.status(name);
    if (status === undefined) return Promise.reject(new Error(`no child named ${name} is supervised`));
    if (status.ready) return Promise.resolve();
    if (this.stopping !== undefined) return Promise.reject(new Error(`supervisor stopped before ${name} was ready`));
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.off("ready", onReady);
        this.off("stopped", onStopped);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = (readyName: string, ready: boolean): void => {
        if (readyName === name && ready) finish();
      };
      const onStopped = (): void => finish(new Error(`supervisor stopped before ${name} was ready`));
      const timer = setTimeout(() => finish(new Error(`${name} was not ready after ${timeoutMs}ms`)), timeoutMs);
      this.on("ready", onReady);
      this.on("stopped", onStopped);
    });
  }

  /** stop ends every child (SIGTERM to its group, SIGKILL after the grace period) and cancels pending restarts. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all([...this.entries.values()].map((entry) => this.halt(entry)));
      this.emit("stopped");
    })();
    return this.stopping;
  }

  /** kill stops like stop() but SIGKILLs every child's group at once, for the second Ctrl-C; stop() resolves once they are gone. */
  kill(): void {
    void this.stop();
    for (const entry of this.entries.values()) void entry.incarnation?.terminate(0);
  }

  private run(entry: Entry): void {
    const { spec } = entry;
    entry.state = "running";
    const incarnation = launch(spec, this.output);
    entry.incarnation = incarnation;
    const probes = new AbortController();
    entry.probes = probes;
    this.emit("started", spec.name, incarnation.pid, entry.restarts);
    if (spec.readiness === undefined) this.setReady(entry, true);
    else void this.probe(runProbe(spec.readiness, false, (passing) => this.setReady(entry, passing), probes.signal));
    if (spec.liveness !== undefined) {
      const onVerdict = (passing: boolean): void => {
        if (passing || probes.signal.aborted) return;
        this.emit("unhealthy", spec.name);
        void incarnation.terminate(this.graceMs);
      };
      void this.probe(runProbe(spec.liveness, true, onVerdict, probes.signal));
    }
    void incarnation.done.then((status) => this.exited(entry, incarnation, status));
  }

  private exited(entry: Entry, incarnation: Incarnation, status: ExitStatus): void {
    entry.probes?.abort();
    entry.lastExit = status;
    this.setReady(entry, false);
    if (this.stopping !== undefined) {
      entry.state = "stopped";
      this.emit("exited", entry.spec.name, status, undefined);
      return;
    }
    if (ranLongEnough(Date.now() - incarnation.startedAtMs, this.backoff)) entry.backoffStep = 0;
    const delayMs = restartDelayMs(entry.backoffStep, this.backoff);
    entry.backoffStep++;
    entry.state = "backoff";
    this.emit("exited", entry.spec.name, status, delayMs);
    entry.restartTimer = setTimeout(() => {
      entry.restartTimer = undefined;
      entry.restarts++;
      this.run(entry);
    }, delayMs);
  }

  private async halt(entry: Entry): Promise<void> {
    clearTimeout(entry.restartTimer);
    entry.probes?.abort();
    if (entry.state === "running" && entry.incarnation !== undefined) await entry.incarnation.terminate(this.graceMs);
    entry.state = "stopped";
  }

  private setReady(entry: Entry, ready: boolean): void {
    if (entry.ready === ready) return;
    entry.ready = ready;
    this.emit("ready", entry.spec.name, ready);
  }

  // A probe loop only throws on a bug; surface it as the supervisor's error instead of an unhandled rejection.
  private async probe(loop: Promise<void>): Promise<void> {
    try {
      await loop;
    } catch (error) {
      this.emit("error", error);
    }
  }
}
