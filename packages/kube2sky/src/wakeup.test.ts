import { describe, expect, it } from "vitest";
import { Wakeup } from "./wakeup.js";

describe("Wakeup", () => {
  it("ends a wait at the next poke, and drops a poke no one waits for", async () => {
    const wakeup = new Wakeup();
    wakeup.poke();
    let woken = false;
    const waiting = wakeup.wait().then(() => (woken = true));
    await Promise.resolve();
    expect(woken).toBe(false);
    wakeup.poke();
    await waiting;
    expect(woken).toBe(true);
  });
});
