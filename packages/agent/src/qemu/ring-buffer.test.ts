import { describe, expect, it } from "vitest";
import { ByteRing } from "./ring-buffer.js";

describe("ByteRing", () => {
  it("keeps only the last capacity bytes, with absolute offsets", () => {
    const ring = new ByteRing(8);
    ring.append(Buffer.from("hello "));
    ring.append(Buffer.from("world"));
    expect(ring.end).toBe(11);
    expect(ring.start).toBe(3);
    expect(ring.since().toString()).toBe("lo world");
    expect(ring.since(6).toString()).toBe("world");
    expect(ring.since(100).toString()).toBe("");
  });

  it("handles a chunk larger than the capacity", () => {
    const ring = new ByteRing(4);
    ring.append(Buffer.from("abcdefgh"));
    expect(ring.since().toString()).toBe("efgh");
    ring.append(Buffer.from("ij"));
    expect(ring.since().toString()).toBe("ghij");
  });
});
