import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPowerSource } from "./detect.js";
import { UnknownPowerProfileError } from "./errors.js";
import type { FixtureRoot } from "./fixture.test-helpers.js";
import { fixtureRoot, manualClock } from "./fixture.test-helpers.js";
import { ModelPowerSource } from "./power-model.js";
import {
  GENERIC_POWER_PROFILES,
  findPowerProfile,
  idleEnergyMicrojoules,
  wattsAt,
} from "./power-profiles.js";

const stat = (user: number, system: number, idle: number, iowait = 0): string =>
  `cpu  ${user} 0 ${system} ${idle} ${iowait} 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2\n`;

describe("power model", () => {
  let fx: FixtureRoot;
  const clock = manualClock();
  beforeEach(async () => {
    fx = await fixtureRoot();
  });
  afterEach(async () => fx.dispose());

  it("interpolates the SPECpower-style curve", () => {
    const p = findPowerProfile("generic-2s-1u");
    expect(wattsAt(p, 0)).toBe(110);
    expect(wattsAt(p, 0.5)).toBe(250);
    expect(wattsAt(p, 0.55)).toBeCloseTo(262.5);
    expect(wattsAt(p, 1)).toBe(380);
    expect(wattsAt(p, 7)).toBe(380);
    expect(idleEnergyMicrojoules(p, 1000)).toBe(110_000_000);
    expect(() => findPowerProfile("nope")).toThrow(UnknownPowerProfileError);
    for (const profile of GENERIC_POWER_PROFILES) {
      expect(profile.description).toMatch(/^Approximation/);
      expect(profile.wattsAtLoad).toHaveLength(11);
    }
  });

  it("estimates energy from /proc/stat utilisation and labels it", async () => {
    await fx.write("proc/stat", stat(1000, 0, 1000));
    const model = await ModelPowerSource.open({
      root: fx.root,
      profile: findPowerProfile("generic-2s-1u"),
      now: clock.now,
    });
    await fx.write("proc/stat", stat(1300, 100, 1300, 100)); // 400 busy of 800
    clock.advance(2000);
    expect(await model.read()).toMatchObject({
      kind: "model",
      estimated: true,
      energyMicrojoules: 500_000_000,
    });
  });

  it("falls back to the model when no counter exists, and prefers RAPL when one does", async () => {
    await fx.write("proc/stat", stat(1, 1, 1));
    const profile = findPowerProfile("generic-mini-pc");
    expect((await openPowerSource({ root: fx.root, fallbackProfile: profile })).kind).toBe("model");
    await fx.write("sys/class/powercap/intel-rapl:0/energy_uj", 5);
    await fx.write("sys/class/powercap/intel-rapl:0/max_energy_range_uj", 1000);
    await fx.write("sys/class/hwmon/hwmon0/power1_input", 5);
    expect((await openPowerSource({ root: fx.root, fallbackProfile: profile })).kind).toBe("rapl");
    expect((await openPowerSource({ root: fx.root, fallbackProfile: profile, prefer: ["hwmon"] })).kind).toBe(
      "hwmon",
    );
  });
});
