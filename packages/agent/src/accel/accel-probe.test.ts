import { describe, expect, it } from "vitest";
import { probeAccelerator, probeArgs } from "./accel-probe.js";

const guest = { kernel: "/k/vmlinuz", initrd: "/k/initrd.img", readyPattern: /READY/ };

describe("probeArgs", () => {
  it("boots the probe guest with a serial console on stdout and asks it to power off", () => {
    const args = probeArgs("kvm", guest);
    expect(args).toEqual(
      expect.arrayContaining(["-accel", "kvm", "-cpu", "host", "-serial", "stdio", "-no-reboot"]),
    );
    expect(args[args.indexOf("-append") + 1]).toBe("console=ttyS0 quiet panic=-1 layerboom.poweroff=1");
  });
});

describe("probeAccelerator", () => {
  it("uses TCG without running anything when the KVM device is missing", async () => {
    const result = await probeAccelerator({
      probeGuest: guest,
      kvmDevice: "/nonexistent/kvm",
      qemuBinary: "/nonexistent/qemu",
    });
    expect(result.accel).toBe("tcg");
    expect(result.trials[0]?.reason).toMatch(/not usable/);
  });

  it("uses TCG when there is no probe guest: a device file proves nothing", async () => {
    const result = await probeAccelerator({ kvmDevice: "/dev/null" });
    expect(result).toEqual({
      accel: "tcg",
      trials: [{ accel: "kvm", ok: false, reason: "no probe guest configured", elapsedMs: 0 }],
    });
  });
});
