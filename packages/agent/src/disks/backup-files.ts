import { runProgram } from "@layerboom/sys";
import type { DiskFormat } from "./qemu-img.js";

// qemu-img calls of backups and restores (docs/backups.md). Argument arrays only; every
// image's format is named, never probed.

/** qemu-img works on whole disks here: generous CPU time, the usual address-space box. */
const LIMITS = { cpuSeconds: 6 * 3600, addressSpaceBytes: 2 * 1024 ** 3 };
const TIMEOUT_MS = 6 * 3_600_000;

/** `qemu-img create -f qcow2 <path> <size>`: the empty target of a live backup job. */
export function backupTargetCreateArgs(path: string, sizeBytes: number): string[] {
  return ["create", "-q", "-f", "qcow2", path, String(sizeBytes)];
}

/** `qemu-img convert` of a stopped VM's overlay into a standalone qcow2 (base image data included). */
export function backupConvertArgs(overlay: string, target: string): string[] {
  return ["convert", "-q", "-f", "qcow2", "-O", "qcow2", overlay, target];
}

/**
 * `qemu-img convert` of a backup into a new overlay on the server's base image: only what
 * differs from the base is written, so the restored disk is again a thin overlay.
 */
export function restoreConvertArgs(
  backup: string,
  target: string,
  base: string,
  baseFormat: DiskFormat,
): string[] {
  return ["convert", "-q", "-f", "qcow2", "-O", "qcow2", "-B", base, "-F", baseFormat, backup, target];
}

export async function createBackupTarget(path: string, sizeBytes: number): Promise<void> {
  await runProgram("qemu-img", backupTargetCreateArgs(path, sizeBytes), {
    timeoutMs: 60_000,
    limits: LIMITS,
  });
}

export async function convertOverlayToBackup(overlay: string, target: string): Promise<void> {
  await runProgram("qemu-img", backupConvertArgs(overlay, target), { timeoutMs: TIMEOUT_MS, limits: LIMITS });
}

export async function convertBackupToOverlay(
  backup: string,
  target: string,
  base: string,
  baseFormat: DiskFormat,
): Promise<void> {
  await runProgram("qemu-img", restoreConvertArgs(backup, target, base, baseFormat), {
    timeoutMs: TIMEOUT_MS,
    limits: LIMITS,
  });
}
