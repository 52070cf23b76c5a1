import { probeAccelerator, resetAcceleratorCache, selectAccelerator, tryAccelerator } from "@layerboom/agent";
import { ensureTinyGuest, type TinyGuest } from "@layerboom/testkit";
import { beforeAll, describe, expect, it } from "vitest";

describe("the accelerator probe boots a real guest", () => {
  let guest: TinyGuest;
  beforeAll(async () => {
    guest = await ensureTinyGuest();
  }, 300_000);

  const probeGuest = (): { kernel: string; initrd: string; append: string; readyPattern: RegExp } => ({
    kernel: guest.kernel,
    initrd: guest.initrd,
    append: guest.append,
    readyPattern: guest.readyPattern,
  });

  it("recognises a working accelerator by the guest's readiness line (TCG)", async () => {
    const trial = await tryAccelerator("tcg", { probeGuest: probeGuest(), timeoutMs: 60_000 });
    expect(trial).toMatchObject({ accel: "tcg", ok: true });
    process.stdout.write(`probe guest ready under TCG: ${trial.reason}\n`);
  });

  it("chooses KVM only if the guest really runs under it, within the timeout", async () => {
    const result = await probeAccelerator({ probeGuest: probeGuest(), timeoutMs: 15_000 });
    const [kvm] = result.trials;
    process.stdout.write(`KVM trial: ${JSON.stringify(kvm)}\n`);
    expect(kvm?.accel).toBe("kvm");
    expect(kvm?.elapsedMs).toBeLessThan(20_000);
    expect(result.accel).toBe(kvm?.ok ? "kvm" : "tcg");
  });

  it("caches the choice for the process", async () => {
    resetAcceleratorCache();
    const first = await selectAccelerator({ probeGuest: probeGuest(), timeoutMs: 15_000 });
    const t0 = Date.now();
    const second = await selectAccelerator({ probeGuest: probeGuest(), timeoutMs: 15_000 });
    expect(second).toBe(first);
    expect(Date.now() - t0).toBeLessThan(50);
    resetAcceleratorCache();
  });
});
