import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  readTapCounterSnapshot,
  TapTransferMeter,
  transferSince,
  writeTapCounterSnapshot,
  type TapCounterSource,
} from "./tap-transfer.js";
import type { TapCounters } from "./taps.js";

/** A fake counter source: a map the test edits between samples, standing in for /sys/class/net. */
function fakeTapCounters(initial: Record<string, TapCounters> = {}): TapCounterSource & {
  taps: Map<string, TapCounters>;
} {
  const taps = new Map(Object.entries(initial));
  return {
    taps,
    list: () => [...taps.keys()],
    read: (tap) => taps.get(tap),
  };
}

const tap = (ifindex: number, rxBytes: number, txBytes: number): TapCounters => ({
  ifindex,
  rxBytes,
  txBytes,
});

describe("transferSince", () => {
  it("is the difference while the counters grow, rx as what the guest sent", () => {
    expect(transferSince(tap(5, 100, 40), tap(5, 250, 90))).toEqual({ outBytes: 150, inBytes: 50 });
  });

  it("takes the new value when a counter went down (the tap was made again)", () => {
    expect(transferSince(tap(5, 1000, 500), tap(5, 30, 700))).toEqual({ outBytes: 30, inBytes: 200 });
  });

  it("takes the new values when the ifindex changed, even if they grew", () => {
    expect(transferSince(tap(5, 100, 100), tap(9, 400, 300))).toEqual({ outBytes: 400, inBytes: 300 });
  });

  it("counts a tap never seen before from zero", () => {
    expect(transferSince(undefined, tap(9, 400, 300))).toEqual({ outBytes: 400, inBytes: 300 });
  });
});

describe("TapTransferMeter", () => {
  it("without remembered counters, takes baselines first and never charges what came before", () => {
    const fake = fakeTapCounters({ lbaaaaaaaaaaaaa: tap(3, 10_000, 20_000) });
    const meter = new TapTransferMeter(fake);
    expect(meter.sample().get("lbaaaaaaaaaaaaa")).toEqual({ outBytes: 0, inBytes: 0 });
    fake.taps.set("lbaaaaaaaaaaaaa", tap(3, 10_500, 20_100));
    expect(meter.sample().get("lbaaaaaaaaaaaaa")).toEqual({ outBytes: 500, inBytes: 100 });
  });

  it("charges a tap made after the first sample from zero, and forgets one that vanished", () => {
    const fake = fakeTapCounters({ lbaaaaaaaaaaaaa: tap(3, 1, 1) });
    const meter = new TapTransferMeter(fake);
    meter.sample();
    fake.taps.set("lbbbbbbbbbbbbbb", tap(4, 700, 800));
    fake.taps.delete("lbaaaaaaaaaaaaa");
    const second = meter.sample();
    expect(second.get("lbbbbbbbbbbbbbb")).toEqual({ outBytes: 700, inBytes: 800 });
    expect(second.has("lbaaaaaaaaaaaaa")).toBe(false);
    expect(Object.keys(meter.snapshot())).toEqual(["lbbbbbbbbbbbbbb"]);
  });

  it("continues from remembered counters: what moved while no agent ran is charged once", () => {
    const fake = fakeTapCounters({
      lbaaaaaaaaaaaaa: tap(3, 5_000, 6_000),
      lbccccccccccccc: tap(8, 50, 60),
    });
    const meter = new TapTransferMeter(fake, { lbaaaaaaaaaaaaa: tap(3, 4_000, 5_500) });
    const first = meter.sample();
    expect(first.get("lbaaaaaaaaaaaaa")).toEqual({ outBytes: 1_000, inBytes: 500 });
    // Not remembered, but the agent remembered everything else: made while it was down.
    expect(first.get("lbccccccccccccc")).toEqual({ outBytes: 50, inBytes: 60 });
    expect(meter.sample().get("lbaaaaaaaaaaaaa")).toEqual({ outBytes: 0, inBytes: 0 });
  });

  it("sums to the counters' growth over many samples, across a re-creation", () => {
    const fake = fakeTapCounters({ lbaaaaaaaaaaaaa: tap(3, 0, 0) });
    const meter = new TapTransferMeter(fake, {});
    let total = 0;
    for (const [ifindex, rx] of [
      [3, 100],
      [3, 250],
      [11, 40],
      [11, 90],
    ] as const) {
      fake.taps.set("lbaaaaaaaaaaaaa", tap(ifindex, rx, 0));
      total += meter.sample().get("lbaaaaaaaaaaaaa")!.outBytes;
    }
    expect(total).toBe(250 + 90);
  });
});

describe("tap counter snapshots", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("round-trip, and an unreadable file means no snapshot (baselines first)", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-taps-"));
    const file = join(dir, "tap-counters.json");
    expect(await readTapCounterSnapshot(file)).toBeUndefined();
    await writeTapCounterSnapshot(file, { lbaaaaaaaaaaaaa: tap(3, 7, 8) });
    expect(await readTapCounterSnapshot(file)).toEqual({ lbaaaaaaaaaaaaa: tap(3, 7, 8) });
    await writeFile(file, "{not json");
    expect(await readTapCounterSnapshot(file)).toBeUndefined();
    await writeFile(file, JSON.stringify({ lbaaaaaaaaaaaaa: { ifindex: 3, rxBytes: -1, txBytes: 0 } }));
    expect(await readTapCounterSnapshot(file)).toEqual({});
  });
});
