import { describe, expect, it } from "vitest";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import { ApiError } from "./status.js";

const labels = { app: "nginx", tier: "web", "example.org/team": "dns" };

describe("label selectors", () => {
  it.each([
    ["", true],
    ["app=nginx", true],
    ["app==nginx", true],
    ["app=busybox", false],
    ["app!=busybox", true],
    ["app!=nginx", false],
    ["missing!=x", true],
    ["app in (nginx, busybox)", true],
    ["app in (busybox)", false],
    ["app notin (busybox)", true],
    ["app notin (nginx)", false],
    ["missing notin (nginx)", true],
    ["tier", true],
    ["missing", false],
    ["!missing", true],
    ["!tier", false],
    ["app=nginx,tier=web", true],
    ["app=nginx,tier=db", false],
    ["app in (nginx,x),!missing,example.org/team=dns", true],
    ["app=", false],
  ])("%j matches the nginx labels: %s", (text, expected) => {
    expect(matchesLabels(parseLabelSelector(text), labels)).toBe(expected);
  });

  it("matches an empty value against a label set to empty", () => {
    expect(matchesLabels(parseLabelSelector("app="), { app: "" })).toBe(true);
  });

  it.each([["app=(x"], ["a b"], ["app in x"], ["-bad=x"], ["app=a b"]])("refuses %j with a 400", (text) => {
    let caught: unknown;
    try {
      parseLabelSelector(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe(400);
  });
});

describe("field selectors", () => {
  const fields = { "metadata.name": "my-nginx", "metadata.namespace": "default" };
  const supported = ["metadata.name", "metadata.namespace"];

  it.each([
    ["metadata.name=my-nginx", true],
    ["metadata.name==my-nginx", true],
    ["metadata.name!=my-nginx", false],
    ["metadata.name=other", false],
    ["metadata.namespace=default,metadata.name=my-nginx", true],
    ["metadata.namespace!=kube-system", true],
  ])("%j on my-nginx in default: %s", (text, expected) => {
    expect(matchesFields(parseFieldSelector(text, supported), fields)).toBe(expected);
  });

  it("refuses a field it does not index", () => {
    expect(() => parseFieldSelector("spec.clusterIP=10.0.0.1", supported)).toThrow(/not supported/);
  });
});
