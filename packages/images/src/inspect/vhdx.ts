import type { RegionReader } from "./region-reader.js";
import type { FormatReport } from "./types.js";

const KiB = 1024;
/** GUIDs from MS-VHDX, as they appear on disk (first three fields little-endian). */
function guid(text: string): string {
  const hex = text.replace(/-/g, "");
  const b = Buffer.from(hex, "hex");
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]).toString("hex");
}
const METADATA_REGION = guid("8B7CA206-4790-4B9A-B8FE-575F050F886E");
const FILE_PARAMETERS = guid("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
const VIRTUAL_DISK_SIZE = guid("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
const PARENT_LOCATOR = guid("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C");

/** On-disk GUID bytes for a textual GUID; exported for fixture generators. */
export const vhdxGuid = guid;

/** True when the file starts with the "vhdxfile" identifier. */
export function isVhdx(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).toString("latin1") === "vhdxfile";
}

/**
 * Reads a VHDX (MS-VHDX): region table at 192 KiB, then the metadata table. A parent locator or
 * the HasParent flag means a differencing disk, which is refused.
 */
export async function inspectVhdx(reader: RegionReader): Promise<FormatReport> {
  const report: FormatReport = { format: "vhdx", virtualSize: undefined, details: {}, failures: [] };
  const fail = (check: FormatReport["failures"][number]["check"], detail: string) =>
    report.failures.push({ check, detail });
  const regions = await reader.read(192 * KiB, 64 * KiB);
  if (regions.length < 16 || regions.subarray(0, 4).toString("latin1") !== "regi") {
    fail("vhdx-truncated", "region table at 192 KiB is missing");
    return report;
  }
  const count = regions.readUInt32LE(8);
  if (count > 2047 || 16 + count * 32 > regions.length) {
    fail("vhdx-metadata", `region table claims ${count} entries`);
    return report;
  }
  let metaOffset: number | undefined;
  let metaLength = 0;
  for (let i = 0; i < count; i++) {
    const e = regions.subarray(16 + i * 32, 48 + i * 32);
    if (e.subarray(0, 16).toString("hex") === METADATA_REGION) {
      metaOffset = Number(e.readBigUInt64LE(16));
      metaLength = e.readUInt32LE(24);
    }
  }
  if (metaOffset === undefined || metaOffset + 32 > reader.size || metaLength < 32) {
    fail("vhdx-metadata", "no usable metadata region");
    return report;
  }
  const meta = await reader.read(metaOffset, Math.min(metaLength, 64 * KiB));
  if (meta.subarray(0, 8).toString("latin1") !== "metadata") {
    fail("vhdx-metadata", "metadata table signature is missing");
    return report;
  }
  const entries = meta.readUInt16LE(10);
  if (entries > 2047 || 32 + entries * 32 > meta.length) {
    fail("vhdx-metadata", `metadata table claims ${entries} entries`);
    return report;
  }
  const readItem = async (offset: number, length: number) =>
    length > 0 && length <= 64 * KiB ? reader.read(metaOffset + offset, length) : Buffer.alloc(0);
  for (let i = 0; i < entries; i++) {
    const e = meta.subarray(32 + i * 32, 64 + i * 32);
    const id = e.subarray(0, 16).toString("hex");
    const offset = e.readUInt32LE(16);
    const length = e.readUInt32LE(20);
    if (id === VIRTUAL_DISK_SIZE) {
      const item = await readItem(offset, length);
      if (item.length >= 8) {
        const size = item.readBigUInt64LE(0);
        report.virtualSize = size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : Number.MAX_SAFE_INTEGER;
      }
    } else if (id === FILE_PARAMETERS) {
      const item = await readItem(offset, length);
      if (item.length >= 8) {
        report.details.blockSize = item.readUInt32LE(0);
        if ((item.readUInt32LE(4) & 2) !== 0) fail("vhdx-parent", "file parameters set HasParent");
      }
    } else if (id === PARENT_LOCATOR) {
      fail("vhdx-parent", "metadata holds a parent locator");
    }
  }
  if (report.virtualSize === undefined) fail("vhdx-metadata", "virtual disk size item is missing");
  return report;
}
