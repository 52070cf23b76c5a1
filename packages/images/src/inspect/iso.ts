import type { RegionReader } from "./region-reader.js";
import type { FormatReport } from "./types.js";

/** ISO9660 volume descriptors start at sector 16 (32 KiB), with "CD001" at byte 1. */
export const ISO_DESCRIPTOR_OFFSET = 32 * 1024;

/** True when the first volume descriptor carries the ISO9660 identifier. */
export async function isIso(reader: RegionReader): Promise<boolean> {
  const d = await reader.read(ISO_DESCRIPTOR_OFFSET, 6);
  return d.length === 6 && d.subarray(1, 6).toString("latin1") === "CD001";
}

/** Reads the primary volume descriptor; the guest sees the file as raw, so its size is the file size. */
export async function inspectIso(reader: RegionReader): Promise<FormatReport> {
  const d = await reader.read(ISO_DESCRIPTOR_OFFSET, 2048);
  const details: Record<string, unknown> = {};
  if (d.length >= 130 && d[0] === 1) {
    details.volumeId = d.subarray(40, 72).toString("latin1").trim();
    details.volumeBytes = d.readUInt32LE(80) * d.readUInt16LE(128);
  }
  return { format: "iso", virtualSize: reader.size, details, failures: [] };
}
