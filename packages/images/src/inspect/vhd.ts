import type { RegionReader } from "./region-reader.js";
import type { FormatReport } from "./types.js";

const COOKIE = Buffer.from("conectix", "latin1");

/** True when a buffer holds a VHD footer cookie at `offset`. */
export function hasVhdCookie(buffer: Buffer, offset = 0): boolean {
  return buffer.length >= offset + 8 && buffer.subarray(offset, offset + 8).equals(COOKIE);
}

/** Finds the footer: the last 512 bytes, or the copy at offset 0 that dynamic disks carry. */
export async function findVhdFooter(
  reader: RegionReader,
): Promise<{ offset: number; footer: Buffer } | undefined> {
  if (reader.size >= 512) {
    const tail = await reader.read(reader.size - 512, 512);
    if (hasVhdCookie(tail)) return { offset: reader.size - 512, footer: tail };
  }
  const head = await reader.read(0, 512);
  if (hasVhdCookie(head)) return { offset: 0, footer: head };
  return undefined;
}

function footerChecksum(footer: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) if (i < 64 || i >= 68) sum += footer[i] ?? 0;
  return ~sum >>> 0;
}

/**
 * Reads a VHD (Microsoft "Virtual Hard Disk Image Format Specification"). Differencing disks
 * reference a parent through locators, so they are refused; the footer checksum must hold.
 */
export async function inspectVhd(reader: RegionReader): Promise<FormatReport> {
  const report: FormatReport = { format: "vhd", virtualSize: undefined, details: {}, failures: [] };
  const fail = (check: FormatReport["failures"][number]["check"], detail: string) =>
    report.failures.push({ check, detail });
  const found = await findVhdFooter(reader);
  if (!found || found.footer.length < 512) {
    fail("vhd-truncated", "no complete 512-byte footer");
    return report;
  }
  const f = found.footer;
  const dataOffset = f.readBigUInt64BE(16);
  const currentSize = f.readBigUInt64BE(48);
  const cylinders = f.readUInt16BE(56);
  const heads = f.readUInt8(58);
  const sectors = f.readUInt8(59);
  const diskType = f.readUInt32BE(60);
  const checksum = f.readUInt32BE(64);
  report.virtualSize =
    currentSize <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(currentSize) : Number.MAX_SAFE_INTEGER;
  report.details = {
    diskType:
      diskType === 2 ? "fixed" : diskType === 3 ? "dynamic" : diskType === 4 ? "differencing" : diskType,
    footerAt: found.offset,
    creator: f.subarray(28, 32).toString("latin1"),
    chsSize: cylinders * heads * sectors * 512,
  };
  if (footerChecksum(f) !== checksum) fail("vhd-footer-checksum", "footer checksum does not match");
  if (diskType === 4) fail("vhd-differencing", "differencing disk needs a parent");
  else if (diskType !== 2 && diskType !== 3) fail("vhd-disk-type", `unknown disk type ${diskType}`);
  if (diskType === 2 && BigInt(reader.size) < currentSize + 512n) {
    fail("vhd-size", `fixed disk of ${currentSize} bytes in a ${reader.size}-byte file`);
  }
  if (diskType === 3 || diskType === 4) {
    if (dataOffset + 1024n > BigInt(reader.size)) {
      fail("vhd-size", `dynamic header at ${dataOffset} lies past the end of the file`);
    } else {
      const dyn = await reader.read(Number(dataOffset), 1024);
      if (dyn.subarray(0, 8).toString("latin1") !== "cxsparse") {
        fail("vhd-size", "dynamic disk header cookie is missing");
      } else if (dyn.subarray(40, 56).some((b) => b !== 0) && diskType === 3) {
        // A parent UUID on a "dynamic" disk is a differencing disk in disguise.
        fail("vhd-differencing", "dynamic disk header names a parent");
      }
    }
  }
  return report;
}
