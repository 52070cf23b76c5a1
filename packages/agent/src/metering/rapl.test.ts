import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CounterUnreadableError, CounterWentBackwardsError } from "./errors.js";
import type { FixtureRoot } from "./fixture.test-helpers.js";
import { fixtureRoot, manualClock } from "./fixture.test-helpers.js";
import { nodeFileReader } from "./file-reader.js";
import { RaplPowerSource } from "./rapl.js";

const P = "sys/class/powercap";
const MAX = 262_143_328_850;

describe("RaplPowerSource", () => {
  let fx: FixtureRoot;
  const clock = manualClock();
  beforeEach(async () => {
    fx = await fixtureRoot();
  });
  afterEach(async () => fx.dispose());

  async function zone(name: string, energy: number, max = MAX, label = "package-0"): Promise<void> {
    await fx.write(`${P}/${name}/energy_uj`, energy);
    await fx.write(`${P}/${name}/max_energy_range_uj`, max);
    await fx.write(`${P}/${name}/name`, label);
  }

  it("sums every package and ignores subzones and the control directory", async () => {
    await fx.write(`${P}/intel-rapl/enabled`, 1);
    await zone("intel-rapl:0", 1_000_000);
    await zone("intel-rapl:1", 5_000_000, MAX, "package-1");
    await zone("intel-rapl:0:0", 400_000, MAX, "core");
    await zone("intel-rapl:0:1", 100_000, MAX, "dram");
    const rapl = (await RaplPowerSource.open({ root: fx.root, now: clock.now }))!;
    expect(rapl.counterPaths.map((p) => p.slice(fx.root.length))).toEqual([
      `/${P}/intel-rapl:0/energy_uj`,
      `/${P}/intel-rapl:1/energy_uj`,
    ]);
    await zone("intel-rapl:0", 31_000_000);
    await zone("intel-rapl:1", 25_000_000, MAX, "package-1");
    await zone("intel-rapl:0:0", 9_400_000, MAX, "core");
    clock.advance(1000);
    expect(await rapl.read()).toMatchObject({
      kind: "rapl",
      estimated: false,
      energyMicrojoules: 50_000_000,
      intervalMs: 1000,
    });
  });

  it("uses a psys zone alone, since it already covers the packages", async () => {
    await zone("intel-rapl:0", 0);
    await zone("intel-rapl:1", 0, MAX, "psys");
    const rapl = (await RaplPowerSource.open({ root: fx.root, now: clock.now }))!;
    expect(rapl.counterPaths).toHaveLength(1);
    expect(rapl.counterPaths[0]).toMatch(/intel-rapl:1\/energy_uj$/);
  });

  it("counts across a wraparound at max_energy_range_uj", async () => {
    await zone("intel-rapl:0", MAX - 20_000_000);
    const rapl = (await RaplPowerSource.open({ root: fx.root, now: clock.now }))!;
    await zone("intel-rapl:0", 30_000_000);
    clock.advance(1000);
    expect((await rapl.read()).energyMicrojoules).toBe(50_000_000);
    await zone("intel-rapl:0", 35_000_000);
    clock.advance(1000);
    expect((await rapl.read()).energyMicrojoules).toBe(5_000_000);
  });

  it("rejects a backwards jump that no plausible wraparound explains, then re-baselines", async () => {
    await zone("intel-rapl:0", 5_000_000_000);
    const rapl = (await RaplPowerSource.open({ root: fx.root, now: clock.now }))!;
    await zone("intel-rapl:0", 4_000_000_000);
    clock.advance(1000);
    const err = await rapl.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CounterWentBackwardsError);
    expect(err).toMatchObject({ previous: 5_000_000_000, current: 4_000_000_000 });
    await zone("intel-rapl:0", 4_100_000_000);
    clock.advance(1000);
    expect((await rapl.read()).energyMicrojoules).toBe(100_000_000);
  });

  it("reports an unreadable counter with a typed error (the file is a directory here)", async () => {
    // chmod 000 does not stop root, so unreadability is simulated by a directory in its place.
    await zone("intel-rapl:0", 1);
    await fx.remove(`${P}/intel-rapl:0/energy_uj`);
    await fx.mkdir(`${P}/intel-rapl:0/energy_uj`);
    const err = await RaplPowerSource.open({ root: fx.root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CounterUnreadableError);
    expect(err).toMatchObject({ code: "EISDIR" });
  });

  it("explains EACCES: energy_uj is root-only since Linux 5.10", async () => {
    await zone("intel-rapl:0", 1);
    const reader = {
      ...nodeFileReader,
      readText: async (path: string) => {
        if (path.endsWith("energy_uj")) throw Object.assign(new Error("denied"), { code: "EACCES" });
        return nodeFileReader.readText(path);
      },
    };
    const err = await RaplPowerSource.open({ root: fx.root, reader }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CounterUnreadableError);
    expect((err as Error).message).toMatch(/root since Linux 5\.10/);
  });

  it("is absent when the host has no powercap zones", async () => {
    expect(await RaplPowerSource.open({ root: fx.root })).toBeUndefined();
  });
});
