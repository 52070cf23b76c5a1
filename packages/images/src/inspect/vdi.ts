import type { RegionReader } from "./region-reader.js";
import type { FormatReport } from "./types.js";

const VDI_SIGNATURE = 0xbeda107f;
const VDI_BLOCK_SIZE = 1024 * 1024;

/** True when the VirtualBox signature sits at 0x40. */
export function isVdi(head: Buffer): boolean {
  return head.length >= 0x44 && head.readUInt32LE(0x40) === VDI_SIGNATURE;
}

/**
 * Reads a VirtualBox VDI header (version 1.1). Differencing and undo images depend on a parent;
 * the size fields must agree with each other, or qemu would index its block map out of range.
 */
export async function inspectVdi(reader: RegionReader): Promise<FormatReport> {
  const report: FormatReport = { format: "vdi", virtualSize: undefined, details: {}, failures: [] };
  const fail = (check: FormatReport["failures"][number]["check"], detail: string) =>
    report.failures.push({ check, detail });
  const h = await reader.read(0, 512);
  if (h.length < 0x1c8) {
    fail("vdi-truncated", `header is ${h.length} bytes, needs ${0x1c8}`);
    return report;
  }
  const version = h.readUInt32LE(0x44);
  const imageType = h.readUInt32LE(0x4c);
  const offBlocks = h.readUInt32LE(0x154);
  const offData = h.readUInt32LE(0x158);
  const sectorSize = h.readUInt32LE(0x168);
  const diskSize = h.readBigUInt64LE(0x170);
  const blockSize = h.readUInt32LE(0x178);
  const blockExtra = h.readUInt32LE(0x17c);
  const blocks = h.readUInt32LE(0x180);
  const blocksAllocated = h.readUInt32LE(0x184);
  const linkUuid = h.subarray(0x1a8, 0x1b8);
  report.details = { version: `0x${version.toString(16)}`, imageType, blockSize, blocks, blocksAllocated };
  report.virtualSize =
    diskSize <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(diskSize) : Number.MAX_SAFE_INTEGER;
  if (version !== 0x00010001) fail("vdi-truncated", `header version 0x${version.toString(16)} is not 1.1`);
  if (imageType === 3 || imageType === 4)
    fail("vdi-parent", `image type ${imageType} (undo/differencing) needs a parent`);
  else if (imageType !== 1 && imageType !== 2) fail("vdi-image-type", `unknown image type ${imageType}`);
  if (linkUuid.some((b) => b !== 0) && (imageType === 3 || imageType === 4)) {
    report.details.parentUuid = linkUuid.toString("hex");
  }
  const sizeProblems: string[] = [];
  if (sectorSize !== 512) sizeProblems.push(`sector size ${sectorSize}`);
  if (blockSize !== VDI_BLOCK_SIZE) sizeProblems.push(`block size ${blockSize} is not 1 MiB`);
  if (blockExtra !== 0) sizeProblems.push(`block extra ${blockExtra}`);
  if (diskSize > BigInt(blocks) * BigInt(blockSize))
    sizeProblems.push(`disk size ${diskSize} exceeds ${blocks} blocks`);
  if (blocksAllocated > blocks) sizeProblems.push(`${blocksAllocated} allocated of ${blocks} blocks`);
  if (offBlocks < 0x200 || offBlocks + blocks * 4 > offData || offData > reader.size) {
    sizeProblems.push(
      `block map at ${offBlocks} and data at ${offData} do not fit a ${reader.size}-byte file`,
    );
  }
  if (sizeProblems.length > 0) fail("vdi-size", sizeProblems.join("; "));
  return report;
}
