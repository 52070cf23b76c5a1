import { quote } from "../errors.js";
import type { RegionReader } from "./region-reader.js";
import type { FormatReport } from "./types.js";

/** "KDMV" as read little-endian. */
const VMDK_MAGIC = 0x564d444b;
/** Real descriptors are a few hundred bytes; a large one is an attempt to make us (or qemu) parse megabytes. */
const MAX_DESCRIPTOR = 64 * 1024;
/** The only createTypes that keep the whole disk in one self-contained file. */
export const SAFE_VMDK_CREATE_TYPES = ["monolithicSparse", "streamOptimized"] as const;

/** True for a sparse extent header ("KDMV" at offset 0). */
export function isVmdkSparse(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === VMDK_MAGIC;
}

/** True for a bare text descriptor file. */
export function isVmdkDescriptor(head: Buffer): boolean {
  return head.subarray(0, 512).toString("latin1").includes("# Disk DescriptorFile");
}

/** A parsed extent line: `RW 2048 SPARSE "disk.vmdk"`. */
export interface VmdkExtent {
  access: string;
  sectors: number;
  type: string;
  filename: string | undefined;
}

/** Fields of a VMDK descriptor that decide whether qemu would open other files. */
export interface VmdkDescriptor {
  createType: string | undefined;
  parentCID: string | undefined;
  parentFileNameHint: string | undefined;
  extents: VmdkExtent[];
}

/** Parses descriptor text; unknown lines are ignored, as qemu does. */
export function parseVmdkDescriptor(text: string): VmdkDescriptor {
  const descriptor: VmdkDescriptor = {
    createType: undefined,
    parentCID: undefined,
    parentFileNameHint: undefined,
    extents: [],
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const extent = /^(RW|RDONLY|NOACCESS)\s+(\d+)\s+(\S+)(?:\s+"([^"]*)")?/i.exec(line);
    if (extent) {
      descriptor.extents.push({
        access: extent[1]!.toUpperCase(),
        sectors: Number(extent[2]),
        type: extent[3]!.toUpperCase(),
        filename: extent[4],
      });
      continue;
    }
    const kv = /^([A-Za-z.]+)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (!kv) continue;
    const [, key, value] = kv;
    if (key === "createType") descriptor.createType = value;
    else if (key === "parentCID") descriptor.parentCID = value;
    else if (key === "parentFileNameHint") descriptor.parentFileNameHint = value;
  }
  return descriptor;
}

/**
 * Reads a VMDK: either a sparse extent with an embedded descriptor (monolithicSparse,
 * streamOptimized) or a bare descriptor file. Only a single SPARSE extent that names a plain
 * file name (the file itself) is safe; anything else makes qemu open host paths.
 */
export async function inspectVmdk(reader: RegionReader): Promise<FormatReport> {
  const report: FormatReport = { format: "vmdk", virtualSize: undefined, details: {}, failures: [] };
  const fail = (check: FormatReport["failures"][number]["check"], detail: string) =>
    report.failures.push({ check, detail });
  const head = await reader.read(0, 512);
  let text: string;
  if (isVmdkSparse(head)) {
    if (head.length < 79) {
      fail("vmdk-truncated", `sparse header is ${head.length} bytes, needs 79`);
      return report;
    }
    const capacity = head.readBigUInt64LE(12);
    const grainSize = head.readBigUInt64LE(20);
    const descriptorOffset = head.readBigUInt64LE(28);
    const descriptorSize = head.readBigUInt64LE(36);
    report.details = { subformat: "sparse", version: head.readUInt32LE(4), grainSize: Number(grainSize) };
    const bytes = capacity * 512n;
    report.virtualSize = bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : Number.MAX_SAFE_INTEGER;
    if (grainSize < 1n || grainSize > 2048n || (grainSize & (grainSize - 1n)) !== 0n) {
      fail("vmdk-grain-size", `grain size ${grainSize} sectors is not a power of two up to 1 MiB`);
    }
    if (descriptorOffset === 0n || descriptorSize === 0n) {
      fail("vmdk-descriptor", "no embedded descriptor");
      return report;
    }
    if (descriptorSize * 512n > BigInt(MAX_DESCRIPTOR)) {
      fail(
        "vmdk-descriptor",
        `embedded descriptor of ${descriptorSize} sectors is larger than ${MAX_DESCRIPTOR} bytes`,
      );
      return report;
    }
    const start = descriptorOffset * 512n;
    const length = Number(descriptorSize) * 512;
    if (start + BigInt(length) > BigInt(reader.size)) {
      fail("vmdk-truncated", "embedded descriptor lies past the end of the file");
      return report;
    }
    text = (await reader.read(Number(start), length)).toString("latin1").replace(/\0.*$/s, "");
  } else {
    if (reader.size > MAX_DESCRIPTOR) {
      fail("vmdk-descriptor", `descriptor file of ${reader.size} bytes is larger than ${MAX_DESCRIPTOR}`);
      return report;
    }
    text = (await reader.read(0, reader.size)).toString("latin1");
    report.details = { subformat: "descriptor" };
  }
  const descriptor = parseVmdkDescriptor(text);
  // A child disk is refused as one, whatever else is wrong with it: the parent is the reason
  // it can never stand alone, and the check a user or a test looks for.
  if (descriptor.parentFileNameHint !== undefined) {
    fail("vmdk-parent", `parentFileNameHint ${quote(descriptor.parentFileNameHint)}`);
  }
  if (descriptor.parentCID !== undefined && descriptor.parentCID.toLowerCase() !== "ffffffff") {
    fail(
      "vmdk-parent",
      `parentCID ${quote(descriptor.parentCID)} names a parent disk (a delta of another VMDK)`,
    );
  }
  report.details.createType = descriptor.createType;
  report.details.extents = descriptor.extents.map((e) => ({ ...e, filename: e.filename ?? null }));
  if (report.details.subformat === "descriptor") {
    report.virtualSize = descriptor.extents.reduce((sum, e) => sum + e.sectors * 512, 0);
    // A bare descriptor holds no data: every extent it lists is another file on the host.
    for (const extent of descriptor.extents) {
      fail("vmdk-extent-path", `descriptor file points at extent ${quote(extent.filename ?? "(none)")}`);
    }
    if (descriptor.extents.length === 0) fail("vmdk-descriptor", "descriptor file lists no extents");
  } else {
    for (const extent of descriptor.extents) {
      const name = extent.filename ?? "";
      if (extent.type !== "SPARSE" || !isPlainFileName(name)) {
        fail("vmdk-extent-path", `extent ${extent.type} ${quote(name)} is not this file`);
      }
    }
    if (descriptor.extents.length !== 1) {
      fail("vmdk-extent-path", `expected exactly one extent, found ${descriptor.extents.length}`);
    }
  }
  const createType = descriptor.createType ?? "";
  if (!(SAFE_VMDK_CREATE_TYPES as readonly string[]).includes(createType)) {
    fail(
      "vmdk-create-type",
      `createType ${quote(createType)} is not one of ${SAFE_VMDK_CREATE_TYPES.join(", ")}`,
    );
  }
  return report;
}

function isPlainFileName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !/[/\\\0]/.test(name) && !/^[A-Za-z]:/.test(name);
}
