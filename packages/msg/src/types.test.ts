import { describe, expect, it } from "vitest";
import { answerTypesOf } from "./types.js";

describe("answerTypesOf", () => {
  it.each([
    [{ host: "10.0.0.1" }, false, ["A"]],
    [{ host: "fd00::1" }, false, ["AAAA"]],
    [{ host: "10.0.0.1", port: 80 }, false, ["A", "SRV"]],
    [{ host: "web.default.svc.cluster.local", port: 80 }, false, ["SRV"]],
    [{ host: "web.default.svc.cluster.local" }, false, ["CNAME"]],
    [{ host: "web.default.svc.cluster.local" }, true, ["PTR"]],
    [{ host: "mx.example.org", mail: true }, false, ["MX"]],
    [{ host: "", text: "1.1.0" }, false, ["TXT"]],
    [{ host: "10.0.0.1", text: "hello" }, false, ["A", "TXT"]],
    [{ host: "" }, false, []],
  ])("%j (reverse %s) answers %j", (record, reverse, types) => {
    expect(answerTypesOf(record, reverse)).toEqual(types);
  });
});
