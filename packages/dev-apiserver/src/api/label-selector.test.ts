import { describe, expect, it } from "vitest";
import { formatSelector, fromLabelSelector, goMap, validateLabelSelector } from "./label-selector.js";
import { matchesLabels } from "./selectors.js";

describe("metav1.LabelSelector", () => {
  const selector = fromLabelSelector({
    matchLabels: { run: "my-nginx" },
    matchExpressions: [
      { key: "tier", operator: "In", values: ["web", "edge"] },
      { key: "canary", operator: "DoesNotExist" },
    ],
  });

  it("matches labels as matchLabels ANDed with matchExpressions", () => {
    expect(selector).toBeDefined();
    expect(matchesLabels(selector ?? [], { run: "my-nginx", tier: "web" })).toBe(true);
    expect(matchesLabels(selector ?? [], { run: "my-nginx", tier: "db" })).toBe(false);
    expect(matchesLabels(selector ?? [], { run: "my-nginx", tier: "web", canary: "yes" })).toBe(false);
  });

  it("is written as labels.Selector's String(): sorted by key, set values sorted", () => {
    expect(formatSelector(selector ?? [])).toBe("!canary,run=my-nginx,tier in (edge,web)");
    expect(formatSelector(fromLabelSelector({ matchLabels: { b: "2", a: "1" } }) ?? [])).toBe("a=1,b=2");
  });

  it("refuses malformed selectors", () => {
    expect(fromLabelSelector({ matchExpressions: [{ key: "a", operator: "Near" }] })).toBeUndefined();
    expect(validateLabelSelector({ matchExpressions: [{ key: "a", operator: "In" }] }, "spec.selector").map((e) => e.field)).toEqual(["spec.selector.matchExpressions[0].values"]);
    expect(validateLabelSelector({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }, "spec.selector")[0]?.reason).toBe("FieldValueForbidden");
    expect(validateLabelSelector({ matchLabels: { a: 1 } }, "spec.selector")[0]?.field).toBe("spec.selector.matchLabels");
    expect(validateLabelSelector("a=b", "spec.selector")).toHaveLength(1);
  });

  it("writes label maps as Go's %#v in validation messages", () => {
    expect(goMap({ run: "other", app: "x" })).toBe('map[string]string{"app":"x", "run":"other"}');
    expect(goMap(undefined)).toBe("map[string]string(nil)");
  });
});
