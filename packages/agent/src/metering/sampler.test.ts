import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readBootId } from "./boot-id.js";
import type { FixtureRoot } from "./fixture.test-helpers.js";
import { fixtureRoot } from "./fixture.test-helpers.js";
import type { Sample } from "./sampler.js";
import { SampleBuffer } from "./sampler.js";

describe("SampleBuffer", () => {
  it("numbers samples, keeps them until a send succeeds, and resends on failure", async () => {
    const buf = new SampleBuffer<number>({ hostId: "h1", bootId: "b1", maxBuffered: 10 });
    buf.push(10);
    buf.push(20);
    await expect(
      buf.flush(async () => Promise.reject(new Error("controller unreachable"))),
    ).rejects.toThrow();
    expect(buf.pending().map((s) => s.seq)).toEqual([1, 2]);
    buf.push(30);
    const seen: Sample<number>[] = [];
    expect(
      await buf.flush(async (batch) => {
        seen.push(...batch);
      }, 2),
    ).toBe(3);
    expect(seen.map((s) => [s.hostId, s.bootId, s.seq, s.payload])).toEqual([
      ["h1", "b1", 1, 10],
      ["h1", "b1", 2, 20],
      ["h1", "b1", 3, 30],
    ]);
    expect(buf.pending()).toEqual([]);
    expect(buf.push(40).seq).toBe(4);
  });

  it("drops the oldest beyond the bound and counts them; seq keeps increasing", () => {
    const buf = new SampleBuffer<string>({ hostId: "h", bootId: "b", maxBuffered: 3 });
    for (const p of ["a", "b", "c", "d", "e"]) buf.push(p);
    expect(buf.pending().map((s) => s.seq)).toEqual([3, 4, 5]);
    expect(buf.dropped).toBe(2);
    buf.acknowledge(4);
    expect(buf.pending().map((s) => s.payload)).toEqual(["e"]);
    expect(() => new SampleBuffer({ hostId: "h", bootId: "b", maxBuffered: 0 })).toThrow(RangeError);
  });
});

describe("readBootId", () => {
  let fx: FixtureRoot;
  beforeEach(async () => {
    fx = await fixtureRoot();
  });
  afterEach(async () => fx.dispose());

  it("combines the kernel boot id with the agent start", async () => {
    await fx.write("proc/sys/kernel/random/boot_id", "0f1e2d3c-aaaa-bbbb-cccc-000000000000");
    expect(await readBootId(fx.root, 1234)).toBe("0f1e2d3c-aaaa-bbbb-cccc-000000000000:1234");
  });
});
