import type { CompiledVmSpec, Accelerator } from "./vm-spec.js";
import type { VmPaths } from "./vm-paths.js";
import { VmSpecError } from "./errors.js";

/** What the driver decided at start time, beyond the spec. */
export interface QemuLaunch {
  accel: Accelerator;
  /** The loopback port forwarded to the guest's SSH; user-mode networking only. */
  sshHostPort?: number;
  /** Attach the seed ISO as a second, read-only virtio disk. */
  withSeed: boolean;
}

/** QEMU's option syntax splits on commas; a literal comma is written twice. */
export function escapeOptionValue(value: string): string {
  return value.replaceAll(",", ",,");
}

/**
 * The QEMU command line of a VM. Pure, so the exact flags are unit-tested.
 *
 * - `-nodefaults -no-user-config`: nothing the host's config or QEMU's defaults add behind our back.
 * - `-S`: the driver attaches QMP and the serial console first, then sends `cont`, so no
 *   console output is lost.
 * - every drive names its format: probing a guest-writable image is a known escape.
 * - `-sandbox`: seccomp; QEMU needs none of those syscalls after start.
 */
export function buildQemuArgs(spec: CompiledVmSpec, paths: VmPaths, launch: QemuLaunch): string[] {
  const e = escapeOptionValue;
  const args = [
    "-nodefaults",
    "-no-user-config",
    "-name",
    `guest=${spec.serverId},debug-threads=on`,
    "-machine",
    "q35",
    "-accel",
    launch.accel,
    // `host` only exists under KVM; `max` gives TCG guests the newest ISA QEMU emulates (x86-64-v2+ distros need it).
    "-cpu",
    launch.accel === "kvm" ? "host" : "max",
    "-smp",
    String(spec.vcpus),
    "-m",
    `${spec.memoryMiB}M`,
    "-display",
    "none",
    "-sandbox",
    "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
    "-S",
    "-pidfile",
    paths.pidfile,
    "-qmp",
    `unix:${e(paths.qmpSocket)},server=on,wait=off`,
    "-chardev",
    `socket,id=serial0,path=${e(paths.serialSocket)},server=on,wait=off,logfile=${e(paths.serialLog)},logappend=on`,
    "-serial",
    "chardev:serial0",
    "-drive",
    `file=${e(paths.overlay)},if=none,id=disk0,format=qcow2,discard=unmap`,
    "-device",
    "virtio-blk-pci,drive=disk0,bootindex=1",
  ];
  if (launch.withSeed) {
    args.push(
      "-drive",
      `file=${e(paths.seedIso)},if=none,id=seed0,format=raw,readonly=on`,
      "-device",
      "virtio-blk-pci,drive=seed0",
    );
  }
  args.push(
    "-netdev",
    netdevOption(spec, launch),
    "-device",
    `virtio-net-pci,netdev=net0,mac=${spec.macAddress}`,
    "-object",
    "rng-random,id=rng0,filename=/dev/urandom",
    "-device",
    "virtio-rng-pci,rng=rng0",
    // Lets a guest kernel report a panic as the GUEST_PANICKED event.
    "-device",
    "pvpanic",
  );
  if (spec.kernelBoot) {
    args.push("-kernel", spec.kernelBoot.kernel);
    if (spec.kernelBoot.initrd) args.push("-initrd", spec.kernelBoot.initrd);
    if (spec.kernelBoot.append) args.push("-append", spec.kernelBoot.append);
  }
  return args;
}

/**
 * The NIC's backend: the server's tap on a host bridge (made by the agent beforehand, so
 * QEMU runs no scripts and needs no privileges for it), or user-mode networking with only
 * the guest's SSH forwarded from a loopback port.
 */
function netdevOption(spec: CompiledVmSpec, launch: QemuLaunch): string {
  if (spec.network)
    return `tap,id=net0,ifname=${escapeOptionValue(spec.network.tap)},script=no,downscript=no`;
  if (launch.sshHostPort === undefined)
    throw new VmSpecError(spec.serverId, "user-mode networking needs an SSH forward port");
  return `user,id=net0,hostfwd=tcp:127.0.0.1:${launch.sshHostPort}-:22`;
}
