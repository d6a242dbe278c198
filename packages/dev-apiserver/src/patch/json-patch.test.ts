import { describe, expect, it } from "vitest";
import { applyJsonPatch } from "./json-patch.js";

describe("applyJsonPatch", () => {
  // Examples from RFC 6902 appendix A.
  it.each([
    ["adds an object member", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }], { baz: "qux", foo: "bar" }],
    ["adds an array element", { foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }], { foo: ["bar", "qux", "baz"] }],
    ["removes an object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], { foo: "bar" }],
    ["removes an array element", { foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }], { foo: ["bar", "baz"] }],
    ["replaces a value", { baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }], { baz: "boo", foo: "bar" }],
    ["moves a value", { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } }, [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }], { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } }],
    ["copies a value", { foo: { bar: "baz" } }, [{ op: "copy", from: "/foo/bar", path: "/copy" }], { foo: { bar: "baz" }, copy: "baz" }],
    ["appends with -", { foo: [1, 2] }, [{ op: "add", path: "/foo/-", value: 3 }], { foo: [1, 2, 3] }],
    ["decodes ~1 and ~0 in a pointer", { labels: {} }, [{ op: "add", path: "/labels/example.org~1team", value: "dns" }, { op: "add", path: "/labels/a~0b", value: "x" }], { labels: { "example.org/team": "dns", "a~b": "x" } }],
    ["passes a test that holds", { baz: "qux", foo: ["a", 2, "c"] }, [{ op: "test", path: "/baz", value: "qux" }, { op: "test", path: "/foo/1", value: 2 }], { baz: "qux", foo: ["a", 2, "c"] }],
  ])("%s", (_title, document, patch, expected) => {
    expect(applyJsonPatch(document, patch)).toEqual(expected);
  });

  it("leaves the document untouched", () => {
    const document = { metadata: { labels: { a: "1" } } };
    applyJsonPatch(document, [{ op: "remove", path: "/metadata/labels/a" }]);
    expect(document).toEqual({ metadata: { labels: { a: "1" } } });
  });

  it.each([
    ["a failed test", [{ op: "test", path: "/baz", value: "bar" }], /test failed/],
    ["a missing path", [{ op: "remove", path: "/nope" }], /does not exist/],
    ["an unknown operation", [{ op: "frobnicate", path: "/baz" }], /unknown JSON patch operation/],
    ["a relative pointer", [{ op: "add", path: "baz", value: 1 }], /invalid JSON pointer/],
    ["a patch that is not a list", { op: "add" }, /must be a list/],
  ])("refuses %s", (_title, patch, message) => {
    expect(() => applyJsonPatch({ baz: "qux" }, patch)).toThrow(message);
  });
});
