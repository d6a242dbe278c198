import { BrokenCircuitError, noop } from "cockatiel";
import { GRPCDeadlineExceededError, GRPCUnavailableError } from "etcd3";
import { describe, expect, it } from "vitest";
import { isUnreachable, memberPolicy } from "./members.js";

describe("isUnreachable", () => {
  it.each([
    ["a refused connection", new GRPCUnavailableError("14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:2379"), true],
    ["a dropped connection, as gRPC raises it", Object.assign(new Error("14 UNAVAILABLE: Connection dropped"), { code: 14 }), true],
    ["etcd waiting for an election", new GRPCUnavailableError("14 UNAVAILABLE: etcdserver: no leader"), false],
    ["etcd's leader changed under a request", new GRPCUnavailableError("14 UNAVAILABLE: etcdserver: leader changed"), false],
    ["a deadline", new GRPCDeadlineExceededError("4 DEADLINE_EXCEEDED: Deadline exceeded"), false],
    ["anything else", new Error("boom"), false],
  ])("says %s is %s", (_what, error, unreachable) => {
    expect(isUnreachable(error)).toBe(unreachable);
  });
});

describe("memberPolicy", () => {
  it("leaves a single member alone: there is no other to go to", () => {
    expect(memberPolicy(1)("127.0.0.1:2379")).toBe(noop);
  });

  it("passes over a member that was unreachable, and only that member", async () => {
    const policies = [memberPolicy(3)("a"), memberPolicy(3)("b")];
    const unreachable = new GRPCUnavailableError("14 UNAVAILABLE: Connection dropped");
    await expect(policies[0]!.execute(() => Promise.reject(unreachable))).rejects.toBe(unreachable);
    let called = false;
    await expect(policies[0]!.execute(() => Promise.resolve((called = true)))).rejects.toThrow(BrokenCircuitError);
    expect(called).toBe(false);
    await expect(policies[1]!.execute(() => Promise.resolve("served"))).resolves.toBe("served");
  });

  it("calls every member again once all of them were unreachable: the first one back is found at once", async () => {
    const policyOf = memberPolicy(2);
    const [a, b] = [policyOf("a"), policyOf("b")];
    const unreachable = new GRPCUnavailableError("14 UNAVAILABLE: Connection dropped");
    await expect(a.execute(() => Promise.reject(unreachable))).rejects.toBe(unreachable);
    await expect(a.execute(() => "a")).rejects.toThrow(BrokenCircuitError);
    await expect(b.execute(() => Promise.reject(unreachable))).rejects.toBe(unreachable);
    // Both rest now: neither is passed over. b answers, its rest ends, and a is passed over again.
    await expect(a.execute(() => Promise.reject(unreachable))).rejects.toBe(unreachable);
    await expect(b.execute(() => "b")).resolves.toBe("b");
    await expect(a.execute(() => "a")).rejects.toThrow(BrokenCircuitError);
  });

  it("keeps calling a member that answered with an etcd error", async () => {
    const policy = memberPolicy(3)("a");
    const noLeader = new GRPCUnavailableError("14 UNAVAILABLE: etcdserver: no leader");
    await expect(policy.execute(() => Promise.reject(noLeader))).rejects.toBe(noLeader);
    await expect(policy.execute(() => Promise.resolve("served"))).resolves.toBe("served");
  });
});
