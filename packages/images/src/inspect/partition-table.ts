import type { RegionReader } from "./region-reader.js";
import type { PartitionTableInfo } from "./types.js";

/**
 * Reads an MBR (boot signature at 510) or, behind a protective MBR, a GPT header at LBA 1.
 * Returns undefined when the first sector holds no plausible partition table.
 */
export async function readPartitionTable(reader: RegionReader): Promise<PartitionTableInfo | undefined> {
  const mbr = await reader.read(0, 512);
  if (mbr.length < 512 || mbr[510] !== 0x55 || mbr[511] !== 0xaa) return undefined;
  const partitions: PartitionTableInfo["partitions"] = [];
  let protective = false;
  for (let i = 0; i < 4; i++) {
    const e = mbr.subarray(446 + i * 16, 462 + i * 16);
    const status = e[0] ?? 0;
    const type = e[4] ?? 0;
    // A status byte other than 0x00/0x80 means this sector is not a partition table.
    if (status !== 0 && status !== 0x80) return undefined;
    if (type === 0) continue;
    if (type === 0xee) protective = true;
    partitions.push({
      index: i + 1,
      type: `0x${type.toString(16).padStart(2, "0")}`,
      startLba: e.readUInt32LE(8),
      sectors: e.readUInt32LE(12),
    });
  }
  if (protective) {
    const gpt = await reader.read(512, 512);
    if (gpt.length >= 92 && gpt.subarray(0, 8).toString("latin1") === "EFI PART") {
      return { type: "gpt", partitions: await readGptEntries(reader, gpt) };
    }
  }
  return partitions.length > 0 ? { type: "mbr", partitions } : undefined;
}

async function readGptEntries(
  reader: RegionReader,
  header: Buffer,
): Promise<PartitionTableInfo["partitions"]> {
  const entriesLba = header.readBigUInt64LE(72);
  const count = Math.min(header.readUInt32LE(80), 128);
  const entrySize = header.readUInt32LE(84);
  if (entrySize < 128 || entrySize > 1024 || entriesLba > 1024n) return [];
  const table = await reader.read(Number(entriesLba) * 512, count * entrySize);
  const partitions: PartitionTableInfo["partitions"] = [];
  for (let i = 0; i < count && (i + 1) * entrySize <= table.length; i++) {
    const e = table.subarray(i * entrySize, (i + 1) * entrySize);
    if (e.subarray(0, 16).every((b) => b === 0)) continue;
    const first = e.readBigUInt64LE(32);
    const last = e.readBigUInt64LE(40);
    partitions.push({
      index: i + 1,
      type: e.subarray(0, 16).toString("hex"),
      startLba: Number(first),
      sectors: Number(last - first + 1n),
    });
  }
  return partitions;
}
