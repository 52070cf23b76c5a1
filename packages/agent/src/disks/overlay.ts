import { rename, rm, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { DiskConflictError } from "./errors.js";
import { createQcow2Overlay, type DiskFormat, imageInfo, resizeQcow2 } from "./qemu-img.js";

/** A server disk: a qcow2 overlay on a cached base image. */
export interface OverlaySpec {
  /** Where the overlay lives. */
  path: string;
  /** The base image (normally a path inside the base image cache). */
  backingFile: string;
  backingFormat: DiskFormat;
  /** The plan's disk size; the overlay is at least this big and at least as big as the base. */
  sizeBytes?: number;
}

/** What {@link ensureOverlay} did. */
export interface OverlayResult {
  path: string;
  virtualSizeBytes: number;
  created: boolean;
  resized: boolean;
}

/**
 * Makes sure the overlay exists on the right backing file and is at least the wanted size.
 * Idempotent: an existing overlay keeps its data; it is only grown, never shrunk or recreated.
 * Must not be called while a VM holds the overlay (qemu-img resize needs the write lock).
 */
export async function ensureOverlay(spec: OverlaySpec): Promise<OverlayResult> {
  const path = resolve(spec.path);
  const backing = resolve(spec.backingFile);
  const base = await imageInfo(backing, spec.backingFormat);
  const wanted = spec.sizeBytes ?? base.virtualSizeBytes;
  if (wanted < base.virtualSizeBytes) {
    throw new DiskConflictError(
      path,
      `disk size ${wanted} is smaller than the base image (${base.virtualSizeBytes})`,
    );
  }

  if (!(await exists(path))) {
    // Build under a temporary name: a crash mid-way must not leave a half-made disk that looks real.
    const tmp = `${path}.creating`;
    await rm(tmp, { force: true });
    await createQcow2Overlay(tmp, backing, spec.backingFormat, wanted);
    await rename(tmp, path);
    return { path, virtualSizeBytes: wanted, created: true, resized: false };
  }

  const info = await imageInfo(path, "qcow2");
  if (info.backingFilename !== undefined && resolve(info.backingFilename) !== backing) {
    throw new DiskConflictError(path, `overlay is backed by ${info.backingFilename}, not ${backing}`);
  }
  if (info.virtualSizeBytes > wanted) {
    throw new DiskConflictError(
      path,
      `overlay is ${info.virtualSizeBytes} bytes; shrinking to ${wanted} would lose data`,
    );
  }
  if (info.virtualSizeBytes < wanted) {
    await resizeQcow2(path, wanted);
    return { path, virtualSizeBytes: wanted, created: false, resized: true };
  }
  return { path, virtualSizeBytes: info.virtualSizeBytes, created: false, resized: false };
}

/** Deletes an overlay; an absent one is fine. */
export async function removeOverlay(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.creating`, { force: true });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
