import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat, truncate } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { pack as tarPack } from "tar-stream";
import { inspectImage } from "../inspect/inspect.js";
import { checksumFile } from "./checksum.js";
import { convertImage, type ConvertResult, type OutputFormat } from "./convert-image.js";
import type { ConvertOptions } from "./options.js";
import { buildOvfDescriptor } from "./ovf.js";
import type { ConvertProgress } from "./progress.js";

/** Formats an image can be exported to. */
export type ExportFormat = OutputFormat | "ova";

/** What to export. */
export interface ExportRequest {
  source: string;
  sourceFormat?: string;
  output: string;
  format: ExportFormat;
  /**
   * Raw only: the size the disk is rounded up to (zeros, as a hole). Default 1 MiB, which EC2's
   * VM Import asks of a raw whole-disk image; 1 keeps the size as it is.
   */
  rawAlignBytes?: number;
  /** OVA only: the virtual machine described in the OVF. */
  ova?: { name?: string; cpus?: number; memoryMiB?: number; manifest?: boolean };
  onProgress?: (progress: ConvertProgress) => void;
}

/** A finished export. */
export interface ExportResult {
  path: string;
  format: ExportFormat;
  virtualSize: number;
  /** OVA only: the names of the archive members, in order. */
  members?: string[];
  /** The disk's partition table, read back from the export (`none` for a bare filesystem). */
  partitionTable?: "mbr" | "gpt" | "none";
}

/** EC2 VM Import takes raw whole-disk images whose size is a whole number of MiB. */
export const RAW_EXPORT_ALIGNMENT = 1024 * 1024;

/**
 * Exports an image to qcow2, raw, vdi, streamOptimized vmdk, or an OVA: a tar holding the OVF
 * descriptor first (as OVF 1.0 requires), then the disk, then an optional SHA-256 manifest.
 * A raw export is the whole disk (its partition table included, reported back) with its size
 * rounded up to a MiB, as EC2's VM Import takes it.
 */
export async function exportImage(
  request: ExportRequest,
  options: ConvertOptions = {},
): Promise<ExportResult> {
  if (request.format !== "ova") {
    const result = await convertImage(
      {
        source: request.source,
        sourceFormat: request.sourceFormat,
        output: request.output,
        outputFormat: request.format,
        onProgress: request.onProgress,
      },
      options,
    );
    let virtualSize = result.output.virtualSize;
    if (request.format === "raw") {
      const align = request.rawAlignBytes ?? RAW_EXPORT_ALIGNMENT;
      const aligned = Math.ceil(virtualSize / align) * align;
      if (aligned !== virtualSize) await truncate(result.output.path, aligned);
      virtualSize = aligned;
    }
    const inspection = request.format === "raw" ? await inspectImage(result.output.path) : undefined;
    return {
      path: result.output.path,
      format: request.format,
      virtualSize,
      ...(inspection ? { partitionTable: inspection.partitionTable?.type ?? "none" } : {}),
    };
  }
  const work = await mkdtemp(join(dirname(request.output), ".ova-"));
  try {
    const name =
      (request.ova?.name ?? basename(request.output).replace(/\.ova$/i, "")).replace(
        /[^A-Za-z0-9._-]/g,
        "_",
      ) || "disk";
    const diskName = `${name}-disk1.vmdk`;
    const diskPath = join(work, diskName);
    const converted: ConvertResult = await convertImage(
      {
        source: request.source,
        sourceFormat: request.sourceFormat,
        output: diskPath,
        outputFormat: "vmdk",
        onProgress: request.onProgress,
      },
      options,
    );
    const ovf = buildOvfDescriptor({
      name,
      diskFile: diskName,
      diskFileSize: converted.output.fileSize,
      capacityBytes: converted.output.virtualSize,
      cpus: request.ova?.cpus ?? 1,
      memoryMiB: request.ova?.memoryMiB ?? 1024,
    });
    const ovfName = `${name}.ovf`;
    const members = [ovfName, diskName];
    let manifest: string | undefined;
    if (request.ova?.manifest ?? true) {
      const diskSums = await checksumFile(diskPath);
      manifest =
        `SHA256(${ovfName})= ${createHash("sha256").update(ovf).digest("hex")}\n` +
        `SHA256(${diskName})= ${diskSums.sha256}\n`;
      members.push(`${name}.mf`);
    }
    await writeOva(
      request.output,
      ovfName,
      ovf,
      diskName,
      diskPath,
      manifest === undefined ? undefined : { name: `${name}.mf`, text: manifest },
    );
    return { path: request.output, format: "ova", virtualSize: converted.output.virtualSize, members };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeOva(
  output: string,
  ovfName: string,
  ovf: string,
  diskName: string,
  diskPath: string,
  manifest: { name: string; text: string } | undefined,
): Promise<void> {
  const archive = tarPack();
  const done = pipeline(archive, createWriteStream(output));
  const mtime = new Date();
  archive.entry({ name: ovfName, mode: 0o644, mtime }, ovf);
  const { size } = await stat(diskPath);
  const entry = archive.entry({ name: diskName, size, mode: 0o644, mtime });
  await pipeline(createReadStream(diskPath, { highWaterMark: 4 * 1024 * 1024 }), entry);
  if (manifest) archive.entry({ name: manifest.name, mode: 0o644, mtime }, manifest.text);
  archive.finalize();
  await done;
}
