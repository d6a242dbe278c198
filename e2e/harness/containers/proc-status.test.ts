import { describe, expect, it } from "vitest";
import { processMemory, processSecurity, rootMountOptions } from "./proc-status.js";

const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
Uid:\t1000\t1000\t1000\t1000
Gid:\t1000\t1000\t1000\t1000
VmHWM:\t   53348 kB
VmRSS:\t   51200 kB
RssAnon:\t   11092 kB
NoNewPrivs:\t1
Seccomp:\t2
CapInh:\t0000000000000000
CapPrm:\t0000000000000000
CapEff:\t0000000000000000
CapBnd:\t00000000a80425fb
CapAmb:\t0000000000000000
`;

describe("processSecurity", () => {
  it("reads the ids, the capability sets, no_new_privs and the seccomp mode", () => {
    const security = processSecurity(STATUS);
    expect(security.uids).toEqual([1000, 1000, 1000, 1000]);
    expect(security.gids).toEqual([1000, 1000, 1000, 1000]);
    expect(security.capabilities.effective).toBe(0n);
    expect(security.capabilities.bounding).toBe(0xa80425fbn);
    expect(security.noNewPrivs).toBe(true);
    expect(security.seccompMode).toBe(2);
  });
});

describe("processMemory", () => {
  it("reads the peak and current resident sizes in bytes", () => {
    expect(processMemory(STATUS)).toEqual({ peakRssBytes: 53348 * 1024, rssBytes: 51200 * 1024, anonBytes: 11092 * 1024 });
  });
});

describe("rootMountOptions", () => {
  it("gives the options of the topmost mount on /", () => {
    const mountinfo = [
      "111 63 0:51 / / ro,relatime - overlay overlay rw,lowerdir=/a,upperdir=/b,workdir=/c",
      "112 111 0:52 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
      "113 111 0:53 / /var/etcd/data rw,relatime - ext4 /dev/vda rw",
    ].join("\n");
    expect(rootMountOptions(mountinfo)).toEqual(["ro", "relatime"]);
  });

  it("throws when nothing is mounted on /", () => {
    expect(() => rootMountOptions("112 111 0:52 / /proc rw - proc proc rw")).toThrow(/no mount on \//);
  });
});
