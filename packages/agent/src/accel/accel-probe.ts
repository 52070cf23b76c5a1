import { access, constants } from "node:fs/promises";
import { ProgramError, runProgram } from "@layerboom/sys";
import type { Accelerator } from "../qemu/vm-spec.js";

/** A Linux guest that prints a readiness line on ttyS0 and powers off when told (the testkit tiny guest). */
export interface ProbeGuest {
  kernel: string;
  initrd: string;
  /** Kernel command line; the probe adds `layerboom.poweroff=1`. Default `console=ttyS0 quiet panic=-1`. */
  append?: string;
  /** Matches the readiness line in the guest's serial output (tested against each line, newline included). */
  readyPattern: RegExp;
}

/** Options for {@link probeAccelerator}. */
export interface AcceleratorProbeOptions {
  /** The guest to boot. Without one, only TCG is used: a file check alone proves nothing. */
  probeGuest?: ProbeGuest;
  /** How long the guest may take to reach readiness under KVM. Default 20 s. */
  timeoutMs?: number;
  /** Default `qemu-system-x86_64`. */
  qemuBinary?: string;
  /** Default `/dev/kvm`. */
  kvmDevice?: string;
}

/** Options after defaults are filled. */
export interface CompiledAcceleratorProbeOptions {
  probeGuest: ProbeGuest | undefined;
  timeoutMs: number;
  qemuBinary: string;
  kvmDevice: string;
}

/** Fills defaults for {@link AcceleratorProbeOptions}. */
export function compileAcceleratorProbeOptions(
  options: AcceleratorProbeOptions = {},
): CompiledAcceleratorProbeOptions {
  const timeoutMs = options.timeoutMs ?? 20_000;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  return {
    probeGuest: options.probeGuest,
    timeoutMs,
    qemuBinary: options.qemuBinary ?? "qemu-system-x86_64",
    kvmDevice: options.kvmDevice ?? "/dev/kvm",
  };
}

/** One accelerator tried by the probe. */
export interface AcceleratorTrial {
  accel: Accelerator;
  ok: boolean;
  /** Why it was rejected, or how it passed. */
  reason: string;
  elapsedMs: number;
}

/** The probe's verdict and its evidence. */
export interface AcceleratorProbeResult {
  accel: Accelerator;
  trials: AcceleratorTrial[];
}

/** The QEMU command line of a probe boot. Pure, for tests. */
export function probeArgs(accel: Accelerator, guest: ProbeGuest): string[] {
  const append = `${guest.append ?? "console=ttyS0 quiet panic=-1"} layerboom.poweroff=1`;
  return [
    "-nodefaults",
    "-no-user-config",
    "-machine",
    "q35",
    "-accel",
    accel,
    "-cpu",
    accel === "kvm" ? "host" : "max",
    "-m",
    "256M",
    "-display",
    "none",
    "-serial",
    "stdio",
    "-no-reboot",
    "-kernel",
    guest.kernel,
    "-initrd",
    guest.initrd,
    "-append",
    append,
  ];
}

/**
 * Boots the probe guest under one accelerator and reports whether it reached its readiness
 * line within the timeout. A hung guest is killed by the timeout.
 */
export async function tryAccelerator(
  accel: Accelerator,
  options: AcceleratorProbeOptions = {},
): Promise<AcceleratorTrial> {
  const compiled = compileAcceleratorProbeOptions(options);
  const started = Date.now();
  const guest = compiled.probeGuest;
  if (!guest) return { accel, ok: false, reason: "no probe guest configured", elapsedMs: 0 };
  if (accel === "kvm") {
    try {
      await access(compiled.kvmDevice, constants.R_OK | constants.W_OK);
    } catch {
      return {
        accel,
        ok: false,
        reason: `${compiled.kvmDevice} is not usable`,
        elapsedMs: Date.now() - started,
      };
    }
  }
  const abort = new AbortController();
  let output = "";
  let ready = false;
  try {
    await runProgram(compiled.qemuBinary, probeArgs(accel, guest), {
      timeoutMs: compiled.timeoutMs,
      signal: abort.signal,
      onStdoutLine: (line) => {
        output = (output + line + "\n").slice(-4096);
        // Readiness is the proof; do not wait for the guest to power off as well.
        if (guest.readyPattern.test(`${line}\n`)) {
          ready = true;
          abort.abort();
        }
      },
    });
  } catch (err) {
    if (!ready) {
      const reason =
        err instanceof ProgramError && err.reason === "timeout"
          ? `no readiness line within ${compiled.timeoutMs} ms (guest hung)`
          : `QEMU failed: ${err instanceof Error ? err.message : String(err)}`;
      return { accel, ok: false, reason, elapsedMs: Date.now() - started };
    }
  }
  const elapsedMs = Date.now() - started;
  if (ready || guest.readyPattern.test(output))
    return { accel, ok: true, reason: `guest ready in ${elapsedMs} ms`, elapsedMs };
  return { accel, ok: false, reason: "QEMU exited without the readiness line", elapsedMs };
}

/** Tries KVM with a real guest boot and falls back to TCG. Never trusts /dev/kvm merely existing. */
export async function probeAccelerator(
  options: AcceleratorProbeOptions = {},
): Promise<AcceleratorProbeResult> {
  const kvm = await tryAccelerator("kvm", options);
  return { accel: kvm.ok ? "kvm" : "tcg", trials: [kvm] };
}

let cached: Promise<AcceleratorProbeResult> | undefined;

/**
 * The accelerator for this process: probed once, then cached (a second probe would cost up
 * to the timeout again when KVM hangs). Later calls return the first answer whatever their options.
 */
export function selectAccelerator(options: AcceleratorProbeOptions = {}): Promise<AcceleratorProbeResult> {
  cached ??= probeAccelerator(options);
  return cached;
}

/** Forgets the cached probe result (tests; or after the host's KVM setup changed). */
export function resetAcceleratorCache(): void {
  cached = undefined;
}
