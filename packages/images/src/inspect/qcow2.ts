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
const EXT_FEATURE_TABLE = 0x6803f857;
/**
 * qemu keeps every header extension in memory, and reads them from the whole first cluster
 * (up to 2 MiB). Real images carry a handful of small ones: qemu 7 writes a feature-name table
 * of 8 entries (384 bytes), a 16-byte encryption pointer, a 24-byte bitmaps extension.
 */
const MAX_EXTENSIONS = 16;
const MAX_EXTENSION_BYTES = 4096;
/** Feature-name table entries are 48 bytes; 64 of them is eight times what qemu 7 writes. */
const FEATURE_ENTRY = 48;
const MAX_FEATURE_ENTRIES = 64;

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
  if (cryptMethod !== 0) {
    const kind = cryptMethod === 1 ? "AES" : cryptMethod === 2 ? "LUKS" : "unknown";
    fail("qcow2-encrypted", `crypt_method ${cryptMethod} (${kind}): encrypted images are not accepted`);
  }
  if (clusterBits >= 9 && clusterBits <= 21 && size <= BigInt(Number.MAX_SAFE_INTEGER)) {
    checkTables(head, Number(size), clusterBits, version, reader.size, fail);
  }
  if (version === 2) await scanExtensions(reader, 72, clusterBits, report, fail);
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

/**
 * qemu allocates the L1 table (up to 32 MiB) and the refcount table (up to 8 MiB) when it
 * opens an image, at the sizes the header gives. A table far larger than the virtual size
 * needs is memory spent for nothing, or a way to make every open cost a 32 MiB read; a table
 * too small for the virtual size, or lying past the end of the file, is a broken image.
 */
function checkTables(
  head: Buffer,
  virtualSize: number,
  clusterBits: number,
  version: number,
  fileSize: number,
  fail: (check: "qcow2-l1-table" | "qcow2-refcount-table", detail: string) => void,
): void {
  const cluster = 2 ** clusterBits;
  const l1Size = head.readUInt32BE(36);
  const l1Offset = head.readBigUInt64BE(40);
  const refcountOffset = head.readBigUInt64BE(48);
  const refcountClusters = head.readUInt32BE(56);
  // One L1 entry maps one L2 table: cluster / 8 entries of one cluster each.
  const perL1Entry = cluster * (cluster / 8);
  const l1Needed = Math.ceil(virtualSize / perL1Entry);
  // qemu grows the table by half again when it must grow it in place; allow twice that and a cluster's worth.
  const l1Allowed = Math.max(l1Needed * 2, cluster / 8);
  // A table too small for the virtual size qemu refuses itself ("L1 table is too small").
  if (l1Size > l1Allowed) {
    fail(
      "qcow2-l1-table",
      `l1_size ${l1Size} is far beyond what the virtual size needs (${l1Needed} entries; at most ${l1Allowed} accepted)`,
    );
  } else if (l1Size > 0 && (l1Offset % 512n !== 0n || l1Offset + BigInt(l1Size) * 8n > BigInt(fileSize))) {
    fail("qcow2-l1-table", `the L1 table at ${l1Offset} (${l1Size} entries) does not lie inside the file`);
  }
  const refcountOrder = version === 3 && head.length >= 100 ? head.readUInt32BE(96) : 4;
  if (refcountOrder > 6) {
    fail("qcow2-refcount-table", `refcount_order ${refcountOrder} is above 6`);
    return;
  }
  // Host clusters an image of this size can need: data, metadata and internal snapshots stay
  // well within twice the larger of the virtual size and the file.
  const hostClusters = Math.ceil((2 * Math.max(virtualSize, fileSize)) / cluster) + 1;
  const perBlock = (cluster * 8) / 2 ** refcountOrder;
  const blocks = Math.ceil(hostClusters / perBlock);
  const refcountAllowed = Math.ceil((blocks * 8) / cluster) + 1;
  if (refcountClusters === 0) {
    fail("qcow2-refcount-table", "refcount_table_clusters is 0");
  } else if (refcountClusters > refcountAllowed) {
    fail(
      "qcow2-refcount-table",
      `refcount_table_clusters ${refcountClusters} is far beyond what the image can need (at most ${refcountAllowed})`,
    );
  } else if (
    refcountOffset % BigInt(cluster) !== 0n ||
    refcountOffset + BigInt(refcountClusters) * BigInt(cluster) > BigInt(fileSize) + BigInt(cluster)
  ) {
    fail("qcow2-refcount-table", `the refcount table at ${refcountOffset} does not lie inside the file`);
  }
}

async function scanExtensions(
  reader: RegionReader,
  start: number,
  clusterBits: number,
  report: FormatReport,
  fail: (check: "qcow2-data-file" | "qcow2-header" | "qcow2-header-extension", detail: string) => void,
): Promise<void> {
  const end = clusterBits >= 9 && clusterBits <= 21 ? Math.min(2 ** clusterBits, 65536) : 65536;
  const region = await reader.read(0, end);
  let offset = start;
  for (let i = 0; offset + 8 <= region.length; i++) {
    const type = region.readUInt32BE(offset);
    const length = region.readUInt32BE(offset + 4);
    if (type === 0) return;
    if (i === MAX_EXTENSIONS) {
      fail("qcow2-header-extension", `more than ${MAX_EXTENSIONS} header extensions`);
      return;
    }
    const name = `header extension 0x${type.toString(16)}`;
    if (length > MAX_EXTENSION_BYTES) {
      fail(
        "qcow2-header-extension",
        `${name} is ${length} bytes, more than the ${MAX_EXTENSION_BYTES} accepted`,
      );
      return;
    }
    if (offset + 8 + length > region.length) {
      fail("qcow2-header", `${name} runs past the first cluster`);
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
    } else if (type === EXT_FEATURE_TABLE) {
      if (length % FEATURE_ENTRY !== 0 || length / FEATURE_ENTRY > MAX_FEATURE_ENTRIES) {
        fail(
          "qcow2-header-extension",
          `the feature-name table is ${length} bytes: not whole 48-byte entries, or more than ${MAX_FEATURE_ENTRIES} of them`,
        );
      }
    }
    offset += 8 + Math.ceil(length / 8) * 8;
  }
  // No end marker within what we read: qemu would read on, into whatever the rest of the cluster holds.
  if (region.length < 2 ** clusterBits) {
    fail("qcow2-header-extension", "the header extensions have no end marker within the first 64 KiB");
  }
}
