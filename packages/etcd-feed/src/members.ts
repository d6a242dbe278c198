import { BrokenCircuitError, type IDefaultPolicyContext, type IPolicy, noop } from "cockatiel";
import { GRPCUnavailableError } from "etcd3";

/**
 * How long a client keeps away from a member after a call or a stream found it unavailable, at first; each time it is
 * found unavailable again the wait doubles, up to MEMBER_REST_MAX_MS, and one call that it answers ends the rest. A
 * dead member thus costs its callers one failed call a second at first and one in ten seconds after a while, and a
 * member that is back gets calls again within ten seconds.
 */
export const MEMBER_REST_MS = 1000;
export const MEMBER_REST_MAX_MS = 10_000;

/** gRPC's status code for "the server cannot be reached or cannot serve now". */
const GRPC_UNAVAILABLE = 14;

/**
 * memberPolicy is the per-member fault handling of a client of several members (etcd3's `faultHandling.host`). The
 * etcd3 library picks a member at random for each call and each stream and, with its retries off (ours are), does not
 * try another when that one fails: with one member of three dead, a third of all calls failed until it came back.
 * Here a call or stream that finds a member unreachable makes the client pass that member over (it rests, MEMBER_REST_MS
 * and growing), so the calls after it go to the others at once. A member is passed over only while some other member
 * is not resting: when every member has been found unreachable, calls try them all again rather than refuse, so the
 * first member back is found by the next call and not after its rest. With a single member there is nowhere else to
 * go: no policy.
 */
export function memberPolicy(members: number): (member: string) => IPolicy {
  if (members <= 1) return () => noop;
  const rests = new MemberRests(members);
  return (member) => rests.policyFor(member);
}

/** MemberRests is the rest state of one client's members, shared by their policies. */
class MemberRests {
  /** Resting members: until when (ms since the epoch) and how long the last rest was. */
  private readonly resting = new Map<string, { until: number; restMs: number }>();

  constructor(private readonly members: number) {}

  policyFor(member: string): IPolicy {
    const execute = async <T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> => {
      if (this.passOver(member)) throw new BrokenCircuitError(`etcd member ${member} was unreachable; trying the others`);
      try {
        const value = await fn({ signal: signal ?? new AbortController().signal });
        this.resting.delete(member);
        return value;
      } catch (error) {
        if (isUnreachable(error)) this.rest(member);
        throw error;
      }
    };
    return { execute, onSuccess: NEVER, onFailure: NEVER } as unknown as IPolicy;
  }

  private passOver(member: string): boolean {
    const rest = this.resting.get(member);
    if (rest === undefined || rest.until <= Date.now()) return false;
    let restingNow = 0;
    for (const other of this.resting.values()) if (other.until > Date.now()) restingNow++;
    return restingNow < this.members;
  }

  private rest(member: string): void {
    const last = this.resting.get(member);
    const restMs = last === undefined ? MEMBER_REST_MS : Math.min(last.restMs * 2, MEMBER_REST_MAX_MS);
    this.resting.set(member, { until: Date.now() + restMs, restMs });
  }
}

/** An event that never fires: the library listens to none of these, and nothing of ours does. */
const NEVER = (): { dispose(): void } => ({ dispose: () => undefined });

/**
 * isUnreachable tells whether an etcd call failed because its member could not be reached: refused, dropped, or
 * silent past the keepalive. etcd's own UNAVAILABLE answers ("etcdserver: no leader", "leader changed") come from a
 * member that is up and waits for an election with the others; passing it over would only leave fewer members to ask.
 */
export function isUnreachable(error: unknown): boolean {
  // The library turns gRPC's errors into classes of its own (and drops the code); a raw one still has it.
  const unavailable = error instanceof GRPCUnavailableError || (error as { code?: unknown } | null)?.code === GRPC_UNAVAILABLE;
  return unavailable && !String((error as { message?: unknown }).message).includes("etcdserver:");
}
