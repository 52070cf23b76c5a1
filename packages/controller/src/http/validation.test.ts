import { describe, expect, it } from "vitest";
import { findUnrepresentableText, jsonNestsDeeperThan } from "./validation.js";

describe("findUnrepresentableText", () => {
  it("finds NUL bytes and lone surrogates, in values and keys, at any depth", () => {
    expect(findUnrepresentableText({ name: "a\u0000b" })).toBe("name");
    expect(findUnrepresentableText({ a: [{ b: "x\uD800" }] })).toBe("a.0.b");
    expect(findUnrepresentableText({ a: "\uDC00x" })).toBe("a");
    expect(findUnrepresentableText({ "k\u0000": 1 })).toBe("(a field name)");
    expect(findUnrepresentableText("text\u0000")).toBe("");
    // The shape Fastify's query parser builds: an object whose prototype has no prototype.
    const query = Object.create(Object.create(null) as object) as Record<string, unknown>;
    query["cursor"] = "x\u0000";
    expect(findUnrepresentableText(query)).toBe("cursor");
  });

  it("passes well-formed text, pairs and other values", () => {
    expect(findUnrepresentableText({ name: "héllo 😀 \u00e9", n: 7, ok: true, none: null })).toBeUndefined();
    expect(findUnrepresentableText(Buffer.from([0, 0xd8]))).toBeUndefined();
    expect(findUnrepresentableText(undefined)).toBeUndefined();
  });

  it("walks a deeply nested body without exhausting the stack", () => {
    let deep: unknown = "end\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnrepresentableText(deep)).toMatch(/^0(\.0)+$/);
  });
});

describe("jsonNestsDeeperThan", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"[[[[[[\\"[[["}', 1)).toBe(false);
    expect(jsonNestsDeeperThan(`${"[".repeat(120_000)}${"]".repeat(120_000)}`, 64)).toBe(true);
  });
});
