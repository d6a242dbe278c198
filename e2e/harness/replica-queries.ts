import { type Expected, type Mismatch, sweep } from "./dns-sweep.js";

/** QueriedReplica is a view of a DNS server the queries go to, and whether it serves (one dead or not ready is not asked). */
export interface QueriedReplica {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Running and ready, as a Service's endpoints count a pod: only then is it asked. */
  readonly up: boolean;
  /** Changes on every restart: a sweep during which it changed met a killed server. */
  readonly generation: number;
}

/** WrongAnswer is a query answered wrong, and by which replica. */
export interface WrongAnswer extends Mismatch {
  readonly replica: string;
}

/**
 * ReplicaQueries asks every running replica, over and over, for names that must answer the same throughout (services
 * that exist for the whole test), and keeps what came back wrong: NXDOMAIN, SERVFAIL, other data, or no reply from a
 * replica that was up the whole time. A replica that is killed during a sweep is not blamed for the replies it could
 * not send; one that answers wrong always is. Each replica is asked in a loop of its own, so a dead one (whose
 * queries wait out their timeouts) does not slow the questions to the others.
 */
export class ReplicaQueries {
  queries = 0;
  readonly wrong: WrongAnswer[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly replicas: () => readonly QueriedReplica[],
    private readonly names: readonly Expected[],
    private readonly pauseMs = 50,
  ) {}

  start(): void {
    this.running = true;
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    await Promise.all(this.replicas().map(async (_, i) => {
      while (this.running) {
        if (this.replicas()[i]?.up === true) await this.sweepOne(i);
        await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      }
    }));
  }

  // Asks replica i every name; how the replica fared meanwhile is read again afterwards, from a fresh view.
  private async sweepOne(i: number): Promise<void> {
    const replica = this.replicas()[i] as QueriedReplica;
    const result = await sweep(replica.host, replica.port, this.names);
    const after = this.replicas()[i];
    const undisturbed = after?.up === true && after.generation === replica.generation;
    this.queries += result.asked;
    for (const mismatch of result.mismatches) {
      if (mismatch.got === "no reply" && !undisturbed) continue;
      this.wrong.push({ ...mismatch, replica: replica.name });
    }
  }
}
