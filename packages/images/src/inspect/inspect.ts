import { stat } from "node:fs/promises";
import { ImageRejectedError, quote, type SafetyFailure } from "../errors.js";
import { isIso, inspectIso } from "./iso.js";
import { readPartitionTable } from "./partition-table.js";
import { inspectQcow2, isQcow2, isQed } from "./qcow2.js";
import { openFileReader, type RegionReader } from "./region-reader.js";
import type { FormatReport, ImageFormat, ImageInspection } from "./types.js";
import { inspectVdi, isVdi } from "./vdi.js";
import { findVhdFooter, inspectVhd } from "./vhd.js";
import { inspectVhdx, isVhdx } from "./vhdx.js";
import { inspectVmdk, isVmdkDescriptor, isVmdkSparse } from "./vmdk.js";

/** Options for the safety check. */
export interface SafetyCheckOptions {
  /** The format the uploader claimed; content that disagrees is refused. Accepts qemu's `vpc` for vhd. */
  declaredFormat?: string;
  /**
   * The largest virtual size accepted, in bytes: a disk of exactly this size passes, one byte
   * more is refused (`virtual-size-cap`). Default {@link DEFAULT_MAX_VIRTUAL_SIZE}.
   */
  maxVirtualSize?: number;
  /** Formats accepted at all. Default: every format the inspector knows except qed. */
  allowedFormats?: readonly ImageFormat[];
}

/** SafetyCheckOptions with defaults filled in. */
export interface CompiledSafetyCheckOptions {
  declaredFormat: ImageFormat | undefined;
  maxVirtualSize: number;
  allowedFormats: readonly ImageFormat[];
}

/**
 * 512 GiB: above any VPS disk a hosting company sells, and far below the 2 TiB a 229 KB qcow2
 * can claim (issue 12). A provider with bigger plans raises it.
 */
export const DEFAULT_MAX_VIRTUAL_SIZE = 512 * 1024 ** 3;

const ALL_FORMATS: readonly ImageFormat[] = ["raw", "qcow2", "vmdk", "vdi", "vhd", "vhdx", "iso"];

/** Fills defaults and validates safety-check options. */
export function compileSafetyCheckOptions(options: SafetyCheckOptions = {}): CompiledSafetyCheckOptions {
  const maxVirtualSize = options.maxVirtualSize ?? DEFAULT_MAX_VIRTUAL_SIZE;
  if (!Number.isSafeInteger(maxVirtualSize) || maxVirtualSize <= 0) {
    throw new RangeError(`maxVirtualSize must be a positive integer, got ${maxVirtualSize}`);
  }
  let declaredFormat: ImageFormat | undefined;
  if (options.declaredFormat !== undefined) {
    const name = options.declaredFormat === "vpc" ? "vhd" : options.declaredFormat;
    if (![...ALL_FORMATS, "qed"].includes(name)) {
      throw new ImageRejectedError(
        "format-unsupported",
        undefined,
        `declared format ${quote(options.declaredFormat)} is not supported`,
      );
    }
    declaredFormat = name as ImageFormat;
  }
  return { declaredFormat, maxVirtualSize, allowedFormats: options.allowedFormats ?? ALL_FORMATS };
}

/** qemu's driver name for a format the inspector reports. */
export function qemuFormatOf(format: ImageFormat): string {
  return format === "vhd" ? "vpc" : format === "iso" ? "raw" : format;
}

async function detect(reader: RegionReader): Promise<ImageFormat[]> {
  const head = await reader.read(0, 512);
  const matched: ImageFormat[] = [];
  if (isQcow2(head)) matched.push("qcow2");
  if (isQed(head)) matched.push("qed");
  if (isVmdkSparse(head) || isVmdkDescriptor(head)) matched.push("vmdk");
  if (isVdi(head)) matched.push("vdi");
  if (await findVhdFooter(reader)) matched.push("vhd");
  if (isVhdx(head)) matched.push("vhdx");
  if (await isIso(reader)) matched.push("iso");
  return matched;
}

async function inspectFormat(format: ImageFormat, reader: RegionReader): Promise<FormatReport> {
  switch (format) {
    case "qcow2":
      return inspectQcow2(reader);
    case "qed":
      return {
        format,
        virtualSize: undefined,
        details: {},
        failures: [{ check: "qed-refused", detail: "QED images are never accepted" }],
      };
    case "vmdk":
      return inspectVmdk(reader);
    case "vdi":
      return inspectVdi(reader);
    case "vhd":
      return inspectVhd(reader);
    case "vhdx":
      return inspectVhdx(reader);
    case "iso":
      return inspectIso(reader);
    case "raw":
      return { format, virtualSize: reader.size, details: {}, failures: [] };
  }
}

/**
 * Identifies an image from its headers alone, with plain reads and no external tool. Every
 * format's signature is tried, so a file that is two formats at once is caught.
 */
export async function inspectReader(
  reader: RegionReader,
  actualSize = reader.size,
): Promise<ImageInspection> {
  const matched = await detect(reader);
  const partitionTable = await readPartitionTable(reader);
  const failures: SafetyFailure[] = [];
  if (reader.size === 0) failures.push({ check: "file-empty", detail: "the file is empty" });
  const structured = matched.filter((f) => f !== "iso");
  if (matched.length > 1) {
    failures.push({ check: "format-ambiguous", detail: `content matches ${matched.join(" and ")}` });
  } else if (structured.length === 1 && partitionTable) {
    // A disk-image header and a partition table in the same first sector: one of them is a disguise.
    failures.push({
      check: "format-ambiguous",
      detail: `content matches ${structured[0]} and a ${partitionTable.type} partition table`,
    });
  }
  const format = matched[0] ?? "raw";
  const report = await inspectFormat(format, reader);
  failures.push(...report.failures);
  return {
    format,
    matchedFormats: matched.length > 0 ? matched : ["raw"],
    virtualSize: report.virtualSize,
    actualSize,
    fileSize: reader.size,
    partitionTable,
    details: report.details,
    failures,
  };
}

/** Inspects a file on disk; see inspectReader. */
export async function inspectImage(path: string): Promise<ImageInspection> {
  const reader = await openFileReader(path);
  try {
    const info = await stat(path);
    return await inspectReader(reader, info.blocks * 512);
  } finally {
    await reader.close();
  }
}

/**
 * Throws ImageRejectedError naming the first failed rule: polyglots, then a declared format that
 * disagrees with the content, then the format's own header rules, then the size cap.
 */
export function safetyCheck(inspection: ImageInspection, options: SafetyCheckOptions = {}): void {
  const opts = compileSafetyCheckOptions(options);
  const failures: SafetyFailure[] = [];
  const ambiguous = inspection.failures.filter((f) => f.check === "format-ambiguous");
  failures.push(...ambiguous);
  const declared = opts.declaredFormat;
  if (
    declared !== undefined &&
    declared !== inspection.format &&
    !(declared === "raw" && inspection.format === "iso")
  ) {
    failures.push({
      check: "format-mismatch",
      detail: `declared ${declared} but the content is ${inspection.format}`,
    });
  }
  failures.push(...inspection.failures.filter((f) => f.check !== "format-ambiguous"));
  if (inspection.format !== "qed" && !opts.allowedFormats.includes(inspection.format)) {
    failures.push({ check: "format-unsupported", detail: `${inspection.format} is not accepted here` });
  }
  // Inclusive: the cap is the largest size accepted.
  if (inspection.virtualSize !== undefined && inspection.virtualSize > opts.maxVirtualSize) {
    failures.push({
      check: "virtual-size-cap",
      detail: `virtual size ${inspection.virtualSize} is above the largest accepted, ${opts.maxVirtualSize} bytes`,
    });
  }
  const first = failures[0];
  if (first) throw new ImageRejectedError(first.check, inspection.format, first.detail, failures);
}

/** Inspects a file and applies safetyCheck; resolves with the inspection when it is safe. */
export async function inspectAndCheck(
  path: string,
  options: SafetyCheckOptions = {},
): Promise<ImageInspection> {
  const compiled = compileSafetyCheckOptions(options);
  const inspection = await inspectImage(path);
  safetyCheck(inspection, compiled);
  return inspection;
}
