import { quote } from "../errors.js";
import type { RegionReader } from "./region-reader.js";
import type { FormatReport } from "./types.js";

/** "QFI\xfb" */
export const QCOW2_MAGIC = 0x514649fb;
/** "QED\0", little-endian on disk. */
export const QED_MAGIC = Buffer.from("QED\0", "latin1");

/** Incompatible feature bits that qemu 7.x knows: dirty, corrupt, external data file, compression type, extended L2. */
const KNOWN_INCOMPATIBLE = 0b11111n;
const INCOMPAT_DATA_FILE = 1n << 2n;
/** Header extension that names an external data file. */
const EXT_DATA_FILE_NAME = 0x44415441;
const EXT_BACKING_FORMAT = 0xe2792aca;

/** True when the buffer starts with the qcow2 magic. */
export function isQcow2(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32BE(0) === QCOW2_MAGIC;
}

/** True when the buffer starts with the QED magic. */
export function isQed(head: Buffer): boolean {
  return head.length >= 4 && head.subarray(0, 4).equals(QED_MAGIC);
}

/**
 * Reads a qcow2 header (spec: qemu docs/interop/qcow2.txt). Anything that would make qemu open
 * a second file (backing file, external data file) is a failure, as is any feature we cannot vouch for.
 */
export async function inspectQcow2(reader: RegionReader): Promise<FormatReport> {
  const report: FormatReport = { format: "qcow2", virtualSize: undefined, details: {}, failures: [] };
  const fail = (check: FormatReport["failures"][number]["check"], detail: string) =>
    report.failures.push({ check, detail });
  const head = await reader.read(0, 512);
  if (head.length < 72) {
    fail("qcow2-truncated", `header is ${head.length} bytes, needs at least 72`);
    return report;
  }
  const version = head.readUInt32BE(4);
  const backingOffset = head.readBigUInt64BE(8);
  const backingSize = head.readUInt32BE(16);
  const clusterBits = head.readUInt32BE(20);
  const size = head.readBigUInt64BE(24);
  const cryptMethod = head.readUInt32BE(32);
  report.details = { version, clusterBits, cryptMethod };
  report.virtualSize = size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : Number.MAX_SAFE_INTEGER;
  if (version !== 2 && version !== 3) fail("qcow2-version", `version ${version} is not 2 or 3`);
  // qemu accepts 9..21; anything else is either corrupt or built to make qemu allocate huge tables.
  if (clusterBits < 9 || clusterBits > 21)
    fail("qcow2-cluster-size", `cluster_bits ${clusterBits} outside 9..21`);
  if (backingOffset !== 0n || backingSize !== 0) {
    let name = "";
    if (backingOffset > 0n && backingOffset < BigInt(reader.size) && backingSize > 0 && backingSize <= 1023) {
      name = (await reader.read(Number(backingOffset), backingSize)).toString("latin1");
    }
    report.details.backingFile = name;
    fail("qcow2-backing-file", `declares a backing file${name ? ` ${quote(name)}` : ""}`);
  }
  if (cryptMethod !== 0)
    fail("qcow2-encrypted", `crypt_method ${cryptMethod}: encrypted images are not accepted`);
  if (version !== 3) return report;
  if (head.length < 104) {
    fail("qcow2-truncated", `version 3 header is ${head.length} bytes, needs 104`);
    return report;
  }
  const incompatible = head.readBigUInt64BE(72);
  const headerLength = head.readUInt32BE(100);
  report.details.incompatibleFeatures = `0x${incompatible.toString(16)}`;
  report.details.headerLength = headerLength;
  if ((incompatible & INCOMPAT_DATA_FILE) !== 0n) fail("qcow2-data-file", "external data file bit is set");
  const unknown = incompatible & ~KNOWN_INCOMPATIBLE;
  if (unknown !== 0n)
    fail("qcow2-incompatible-features", `unknown incompatible feature bits 0x${unknown.toString(16)}`);
  if (headerLength < 104 || headerLength % 8 !== 0 || headerLength > 4096) {
    fail("qcow2-header", `header_length ${headerLength} is not a multiple of 8 in 104..4096`);
    return report;
  }
  await scanExtensions(reader, headerLength, clusterBits, report, fail);
  return report;
}

async function scanExtensions(
  reader: RegionReader,
  start: number,
  clusterBits: number,
  report: FormatReport,
  fail: (check: "qcow2-data-file" | "qcow2-header", detail: string) => void,
): Promise<void> {
  const end = clusterBits >= 9 && clusterBits <= 21 ? Math.min(2 ** clusterBits, 65536) : 65536;
  const region = await reader.read(0, end);
  let offset = start;
  for (let i = 0; i < 64 && offset + 8 <= region.length; i++) {
    const type = region.readUInt32BE(offset);
    const length = region.readUInt32BE(offset + 4);
    if (type === 0) return;
    if (offset + 8 + length > region.length) {
      fail("qcow2-header", `header extension 0x${type.toString(16)} runs past the first cluster`);
      return;
    }
    const body = region.subarray(offset + 8, offset + 8 + length);
    if (type === EXT_DATA_FILE_NAME) {
      fail(
        "qcow2-data-file",
        `header extension names an external data file ${quote(body.toString("latin1"))}`,
      );
    } else if (type === EXT_BACKING_FORMAT) {
      report.details.backingFormat = body.toString("latin1");
    }
    offset += 8 + Math.ceil(length / 8) * 8;
  }
}
