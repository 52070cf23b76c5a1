import { stat, unlink } from "node:fs/promises";
import { ProgramError, runProgram } from "@layerboom/sys";
import { ConversionError, ImageRejectedError } from "../errors.js";
import { inspectAndCheck, qemuFormatOf } from "../inspect/inspect.js";
import type { ImageInspection } from "../inspect/types.js";
import { compileConvertOptions, type ConvertOptions } from "./options.js";
import { createProgressParser, type ConvertProgress } from "./progress.js";
import { crossCheckQemuInfo, qemuImgInfo } from "./qemu-img-info.js";

/** Disk formats the pipeline writes. */
export type OutputFormat = "qcow2" | "raw" | "vdi" | "vmdk";

/** What to convert and where. */
export interface ConvertRequest {
  source: string;
  /** The format the uploader claimed; omitted means "whatever the inspector finds". */
  sourceFormat?: string;
  output: string;
  outputFormat: OutputFormat;
  onProgress?: (progress: ConvertProgress) => void;
}

/** A finished conversion. */
export interface ConvertResult {
  inspection: ImageInspection;
  output: { path: string; format: OutputFormat; virtualSize: number; fileSize: number; actualSize: number };
}

/** qemu-img `-o` options per output format; vmdk is always the self-contained streamOptimized kind. */
function createOptions(format: OutputFormat): string[] {
  return format === "vmdk" ? ["-o", "subformat=streamOptimized"] : [];
}

/**
 * Inspects, cross-checks with `qemu-img info`, then runs `qemu-img convert` with both formats
 * pinned, under prlimit (CPU, address space, file size) and a wall timeout. Zero runs of 4 KiB
 * and more become holes (`-S 4k`), so sparse disks stay sparse, and no disk data passes through Node.
 */
export async function convertImage(
  request: ConvertRequest,
  options: ConvertOptions = {},
): Promise<ConvertResult> {
  const opts = compileConvertOptions(options);
  const inspection = await inspectAndCheck(request.source, {
    declaredFormat: request.sourceFormat,
    maxVirtualSize: opts.maxVirtualSize,
  });
  const qemuSource = qemuFormatOf(inspection.format);
  // qemu-img's own reading of the headers must agree with the inspector's. Raw has no headers:
  // with `-f raw` qemu-img reports the file's size and nothing else, so there is nothing to
  // cross-check (and a process start saved, which a sparse 20 GiB disk notices).
  if (qemuSource !== "raw")
    crossCheckQemuInfo(inspection, await qemuImgInfo(request.source, qemuSource, opts));
  const virtualSize = inspection.virtualSize ?? inspection.fileSize;
  const maxOutput = opts.maxOutputBytes ?? Math.ceil(virtualSize * 1.1) + 64 * 1024 * 1024;
  opts.logger.info("converting image", {
    source: request.source,
    from: qemuSource,
    to: request.outputFormat,
    virtualSize,
  });
  const onLine = request.onProgress
    ? createProgressParser(virtualSize, request.onProgress, opts.now)
    : undefined;
  const args = [
    "convert",
    ...(onLine ? ["-p"] : []),
    "-f",
    qemuSource,
    "-O",
    request.outputFormat,
    ...createOptions(request.outputFormat),
    "-S",
    "4k",
    "--",
    request.source,
    request.output,
  ];
  try {
    await runProgram("qemu-img", args, {
      timeoutMs: opts.timeoutMs,
      limits: {
        cpuSeconds: opts.cpuSeconds,
        addressSpaceBytes: opts.addressSpaceBytes,
        fileSizeBytes: maxOutput,
      },
      onStdoutLine: onLine,
      maxOutputBytes: 1024 * 1024,
    });
  } catch (err) {
    await unlink(request.output).catch(() => undefined);
    if (err instanceof ProgramError) {
      // qemu-img ignores SIGXFSZ and reports EFBIG instead.
      if (err.signal === "SIGXFSZ" || /File too large/.test(err.stderr)) {
        throw new ConversionError(request.source, "output-size", `output passed ${maxOutput} bytes`, {
          cause: err,
        });
      }
      throw new ConversionError(
        request.source,
        err.reason === "timeout" ? "timeout" : "tool-failed",
        err.message,
        { cause: err },
      );
    }
    throw err;
  }
  const written = await stat(request.output);
  if (written.size > maxOutput) {
    await unlink(request.output).catch(() => undefined);
    throw new ConversionError(
      request.source,
      "output-size",
      `output of ${written.size} bytes passed ${maxOutput}`,
    );
  }
  await verifyOutput(request.output, request.outputFormat, virtualSize, opts);
  opts.logger.info("converted image", { output: request.output, bytes: written.size });
  return {
    inspection,
    output: {
      path: request.output,
      format: request.outputFormat,
      virtualSize,
      fileSize: written.size,
      actualSize: written.blocks * 512,
    },
  };
}

/**
 * The output goes through the same inspector as any upload: we never hand on what we would
 * refuse. No `qemu-img info` of it: qemu-img has just written those headers itself from a
 * source both parsers agreed on, so a second reading by qemu adds a process start (20–30 ms, a
 * large share of the import of a disk of holes) and no safety.
 */
async function verifyOutput(
  path: string,
  format: OutputFormat,
  virtualSize: number,
  opts: ReturnType<typeof compileConvertOptions>,
): Promise<void> {
  const inspection = await inspectAndCheck(path, {
    declaredFormat: format,
    maxVirtualSize: opts.maxVirtualSize,
  }).catch(async (err: unknown) => {
    await unlink(path).catch(() => undefined);
    throw err;
  });
  // qemu-img rounds some formats up to their sector or block size.
  if (inspection.virtualSize === undefined || inspection.virtualSize < virtualSize) {
    await unlink(path).catch(() => undefined);
    throw new ImageRejectedError(
      "qemu-info-mismatch",
      format,
      `output virtual size ${inspection.virtualSize} is below ${virtualSize}`,
    );
  }
}
