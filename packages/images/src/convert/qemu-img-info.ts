import { ProgramError, runProgram } from "@layerboom/sys";
import { ConversionError, ImageRejectedError } from "../errors.js";
import { qemuFormatOf } from "../inspect/inspect.js";
import type { ImageInspection } from "../inspect/types.js";
import type { CompiledConvertOptions } from "./options.js";

/** The parts of `qemu-img info --output=json` the pipeline relies on. */
export interface QemuImgInfo {
  format: string;
  virtualSize: number;
  actualSize: number | undefined;
  backingFilename: string | undefined;
  dataFile: string | undefined;
  raw: Record<string, unknown>;
}

/** Runs `qemu-img info` with the format pinned and resource limits; never lets qemu probe. */
export async function qemuImgInfo(
  path: string,
  qemuFormat: string,
  options: CompiledConvertOptions,
): Promise<QemuImgInfo> {
  let stdout: string;
  try {
    ({ stdout } = await runProgram("qemu-img", ["info", "--output=json", "-f", qemuFormat, "--", path], {
      timeoutMs: options.infoTimeoutMs,
      limits: { cpuSeconds: 30, addressSpaceBytes: options.addressSpaceBytes },
      maxOutputBytes: 1024 * 1024,
    }));
  } catch (err) {
    if (err instanceof ProgramError) {
      throw new ConversionError(path, err.reason === "timeout" ? "timeout" : "tool-failed", err.message, {
        cause: err,
      });
    }
    throw err;
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(stdout) as Record<string, unknown>;
  } catch (err) {
    throw new ConversionError(path, "info-unparseable", "qemu-img info printed something that is not JSON", {
      cause: err,
    });
  }
  const specific = raw["format-specific"] as { data?: Record<string, unknown> } | undefined;
  return {
    format: String(raw.format),
    virtualSize: Number(raw["virtual-size"]),
    actualSize: typeof raw["actual-size"] === "number" ? raw["actual-size"] : undefined,
    backingFilename: typeof raw["backing-filename"] === "string" ? raw["backing-filename"] : undefined,
    dataFile: typeof specific?.data?.["data-file"] === "string" ? specific.data["data-file"] : undefined,
    raw,
  };
}

/**
 * Refuses when qemu-img sees the file differently from our inspector: a disagreement means one
 * of the two parsers was fooled, and we trust neither then.
 */
export function crossCheckQemuInfo(inspection: ImageInspection, info: QemuImgInfo): void {
  const problems: string[] = [];
  if (info.format !== qemuFormatOf(inspection.format)) problems.push(`qemu-img sees ${info.format}`);
  if (info.backingFilename !== undefined) problems.push("qemu-img sees a backing file");
  if (info.dataFile !== undefined) problems.push("qemu-img sees an external data file");
  const sizes = [inspection.virtualSize];
  // qemu derives a VHD's size from its CHS geometry for some creators.
  if (inspection.format === "vhd") sizes.push(inspection.details.chsSize as number | undefined);
  if (!sizes.includes(info.virtualSize)) {
    problems.push(
      `qemu-img reports virtual size ${info.virtualSize}, the inspector ${inspection.virtualSize}`,
    );
  }
  if (problems.length > 0)
    throw new ImageRejectedError("qemu-info-mismatch", inspection.format, problems.join("; "));
}
