import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CounterWentBackwardsError } from "./errors.js";
import type { FixtureRoot } from "./fixture.test-helpers.js";
import { fixtureRoot, manualClock } from "./fixture.test-helpers.js";
import { HwmonPowerSource } from "./hwmon.js";

const HW = "sys/class/hwmon";

describe("HwmonPowerSource", () => {
  let fx: FixtureRoot;
  const clock = manualClock();
  beforeEach(async () => {
    fx = await fixtureRoot();
  });
  afterEach(async () => fx.dispose());

  it("sums energy counters, only the socket ones when labelled (amd_energy)", async () => {
    await fx.write(`${HW}/hwmon0/name`, "amd_energy");
    await fx.write(`${HW}/hwmon0/energy1_input`, 1000);
    await fx.write(`${HW}/hwmon0/energy1_label`, "Ecore000");
    await fx.write(`${HW}/hwmon0/energy2_input`, 5000);
    await fx.write(`${HW}/hwmon0/energy2_label`, "Esocket0");
    await fx.write(`${HW}/hwmon1/name`, "coretemp");
    await fx.write(`${HW}/hwmon1/temp1_input`, 45000);
    const hw = (await HwmonPowerSource.open({ root: fx.root, now: clock.now }))!;
    expect(hw.mode).toBe("energy");
    await fx.write(`${HW}/hwmon0/energy1_input`, 900_000);
    await fx.write(`${HW}/hwmon0/energy2_input`, 2_005_000);
    clock.advance(1000);
    expect(await hw.read()).toMatchObject({ kind: "hwmon", energyMicrojoules: 2_000_000, estimated: false });
  });

  it("integrates power gauges (µW) by the trapezoid rule without losing sub-µJ remainders", async () => {
    await fx.write(`${HW}/hwmon3/name`, "power_meter");
    await fx.write(`${HW}/hwmon3/power1_input`, 100_000_000);
    const hw = (await HwmonPowerSource.open({ root: fx.root, now: clock.now, deviceName: "power_meter" }))!;
    expect(hw.mode).toBe("power");
    await fx.write(`${HW}/hwmon3/power1_input`, 200_000_000);
    clock.advance(1000);
    expect((await hw.read()).energyMicrojoules).toBe(150_000_000);
    await fx.write(`${HW}/hwmon3/power1_input`, 1);
    let total = 0;
    for (let i = 0; i < 4; i++) {
      if (i > 0) await fx.write(`${HW}/hwmon3/power1_input`, 1);
      clock.advance(1);
      total += (await hw.read()).energyMicrojoules;
    }
    // 200 W → 1 µW over 1 ms averages 100 W = 100 mJ; the 0.0035 µJ left over is carried, not lost.
    expect(total).toBe(100_000);
  });

  it("rejects an energy counter that went backwards", async () => {
    await fx.write(`${HW}/hwmon0/energy1_input`, 10_000);
    const hw = (await HwmonPowerSource.open({ root: fx.root, now: clock.now }))!;
    await fx.write(`${HW}/hwmon0/energy1_input`, 9_000);
    await expect(hw.read()).rejects.toBeInstanceOf(CounterWentBackwardsError);
    await fx.write(`${HW}/hwmon0/energy1_input`, 9_500);
    expect((await hw.read()).energyMicrojoules).toBe(500);
  });

  it("is absent without energy or power inputs", async () => {
    await fx.write(`${HW}/hwmon0/temp1_input`, 1);
    expect(await HwmonPowerSource.open({ root: fx.root })).toBeUndefined();
  });
});
