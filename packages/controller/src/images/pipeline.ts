import { mkdir, open, stat } from "node:fs/promises";
import type { ImageJobSpec } from "@layerboom/db";
import {
  AmiBundleError,
  ArchiveRejectedError,
  BootableError,
  ConversionError,
  ImageRejectedError,
  checksumFile,
  convertImage,
  sha256Checksum,
  decompressFile,
  detectCompression,
  exportImage,
  firstTarEntry,
  isExtFilesystem,
  makeBootableDisk,
  readOva,
} from "@layerboom/images";
import type { RootfsSource } from "@layerboom/images";
import { sha256OfFile } from "../blobs/blob-store.js";
import { pathInside } from "../blobs/path-inside.js";
import { fetchToFile, FetchRefusedError } from "./fetch-url.js";
import type { OutboundGuard } from "../outbound/guard.js";
import { compileImageJobLimits } from "./settings.js";
import type { CompiledImageJobLimits } from "./settings.js";
import { SourceDigests, loadSourceSums } from "./source-digests.js";

/** A stage's progress: bytes done of a total, when the total is known. */
export type StageReporter = (stage: string, done: number, total: number | undefined) => void;

/** Why a job failed, with the check that names it (for the API and the CLI). */
export class JobFailure extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(message);
    this.name = "JobFailure";
  }
}

/** Limits of the pipeline (see settings.ts for what each means and its default). */
export type PipelineLimits = Pick<
  CompiledImageJobLimits,
  "maxSourceBytes" | "maxVirtualSize" | "exportTimeoutMs"
>;

export const DEFAULT_PIPELINE_LIMITS: PipelineLimits = compileImageJobLimits();

/** What an import produced: a qcow2 ready for the blob store, and what we learned on the way. */
export interface ImportOutput {
  disk: string;
  diskSha256: string;
  sourceFormat: string;
  virtualSize: number;
  sourceSha256: string;
  sourceMd5: string;
  /** Set when the source was a root filesystem that the pipeline made bootable. */
  bootable?: { from: RootfsSource["kind"]; kernelRelease: string; rootUuid: string; steps: string[] };
}

/** Turns the pipeline's typed errors into a JobFailure that names the check. */
export function asJobFailure(err: unknown): JobFailure {
  if (err instanceof JobFailure) return err;
  if (
    err instanceof ImageRejectedError ||
    err instanceof ArchiveRejectedError ||
    err instanceof AmiBundleError ||
    err instanceof BootableError ||
    err instanceof FetchRefusedError
  ) {
    return new JobFailure(err.check, err.message);
  }
  if (err instanceof ConversionError)
    return new JobFailure(
      err.reason === "timeout" ? "conversion-timeout" : "conversion",
      // The message names the file, a path of the controller's: the detail says what went wrong.
      `conversion failed (${err.reason}): ${err.detail}`,
    );
  return new JobFailure("internal", err instanceof Error ? err.message : String(err));
}

async function head(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * fetch → verify → unpack → inspect + convert → checksum, in the job's own folder. Every step
 * that reads untrusted bytes goes through packages/images, which refuses with a named check.
 * Nothing here touches the catalog: the runner registers the image only when this returns.
 */
export async function runImportPipeline(
  spec: ImageJobSpec,
  dir: string,
  report: StageReporter,
  limits: PipelineLimits = DEFAULT_PIPELINE_LIMITS,
  /** Where Debian's KVM kernel is cached, for root filesystems whose kernels cannot boot under KVM. */
  kernelCacheDir?: string,
  /** Where a URL source may be fetched from (docs/security.md, "Outbound requests"). */
  outbound?: OutboundGuard,
): Promise<ImportOutput> {
  const source = pathInside(dir, "source");
  if (spec.source?.kind === "url") {
    report("fetch", 0, undefined);
    const digests = new SourceDigests();
    await fetchToFile(spec.source.url, source, {
      maxBytes: limits.maxSourceBytes,
      ...(outbound ? { guard: outbound } : {}),
      onProgress: (done, total) => report("fetch", done, total),
      onChunk: (chunk) => digests.update(chunk),
    });
    await digests.save(dir);
  }
  const received = await stat(source).catch(() => undefined);
  if (!received) throw new JobFailure("source-missing", "the uploaded file is gone; upload it again");

  // Digested as it arrived; read again only if that record is missing.
  report("verify", 0, received.size);
  const sums = (await loadSourceSums(dir)) ?? (await checksumFile(source));
  if (spec.expected_sha256 && spec.expected_sha256.toLowerCase() !== sums.sha256) {
    throw new JobFailure(
      "checksum-sha256",
      `the source's sha256 is ${sums.sha256}, not the published ${spec.expected_sha256}`,
    );
  }
  if (spec.expected_md5 && spec.expected_md5.toLowerCase() !== sums.md5) {
    throw new JobFailure(
      "checksum-md5",
      `the source's md5 is ${sums.md5}, not the published ${spec.expected_md5}`,
    );
  }

  report("unpack", 0, undefined);
  let disk = source;
  if (detectCompression(await head(disk, 8)) !== "none") {
    await decompressFile(disk, pathInside(dir, "decompressed"));
    disk = pathInside(dir, "decompressed");
  }
  // A tar (ustar magic at 257) is an OVA when its first member is the OVF descriptor, else a
  // root filesystem; a bare ext2/3/4 image (an unbundled AMI, a Xen image) is a root filesystem too.
  let rootfs: RootfsSource | undefined;
  const start = await head(disk, 2048);
  if (start.subarray(257, 262).toString("latin1") === "ustar") {
    if (/\.ovf$/i.test((await firstTarEntry(disk)) ?? "")) {
      await mkdir(pathInside(dir, "ova"), { recursive: true });
      const ova = await readOva(disk, pathInside(dir, "ova"));
      const first = ova.disks[0];
      if (!first) throw new JobFailure("ova-disk-reference", "the OVA describes no disk");
      disk = first.path;
    } else {
      rootfs = { kind: "tar", path: disk };
    }
  } else if (isExtFilesystem(start)) {
    rootfs = { kind: "ext-image", path: disk };
  }
  let bootable: ImportOutput["bootable"];
  if (rootfs) {
    report("make-bootable", 0, undefined);
    const made = await makeBootableDisk({
      source: rootfs,
      output: pathInside(dir, "bootable.raw"),
      workDir: dir,
      ...(spec.root_password_hash ? { rootPasswordHash: spec.root_password_hash } : {}),
      ...(kernelCacheDir ? { kvmKernel: { cacheDir: kernelCacheDir } } : {}),
      onStep: (step) => report(`make-bootable:${step}`, 0, undefined),
    });
    bootable = {
      from: rootfs.kind,
      kernelRelease: made.kernelRelease,
      rootUuid: made.rootUuid,
      steps: made.steps,
    };
    disk = made.path;
  }

  const converted = await convertImage(
    {
      source: disk,
      ...(bootable
        ? { sourceFormat: "raw" }
        : spec.declared_format
          ? { sourceFormat: spec.declared_format }
          : {}),
      output: pathInside(dir, "disk.qcow2"),
      outputFormat: "qcow2",
      onProgress: (p) => report("convert", p.bytesDone, p.totalBytes),
    },
    { maxVirtualSize: limits.maxVirtualSize },
  );
  // The blob store names the disk by its sha256 (agents verify it). No md5 of it: md5 is for
  // matching old catalogs, which publish it for the file they ship, i.e. the source.
  report("checksum", 0, converted.output.fileSize);
  const diskSha256 = await sha256OfFile(converted.output.path);
  return {
    disk: converted.output.path,
    diskSha256,
    sourceFormat: converted.inspection.format,
    virtualSize: converted.output.virtualSize,
    sourceSha256: sums.sha256,
    sourceMd5: sums.md5,
    ...(bootable ? { bootable } : {}),
  };
}

/**
 * Exports a catalog disk to the requested format as `export.<format>` in the job's folder: a
 * name of ours, whatever the image is called (the image's name only reaches the download's
 * Content-Disposition and, sanitised, the OVF). The conversion and the checksum together must
 * finish within `exportTimeoutMs`, and holes are hashed from memory rather than read, so a
 * disk that is mostly holes cannot hold a runner for hours.
 */
export async function runExportPipeline(
  disk: { path: string; format: string; name: string },
  format: NonNullable<ImageJobSpec["format"]>,
  dir: string,
  report: StageReporter,
  limits: PipelineLimits = DEFAULT_PIPELINE_LIMITS,
): Promise<{ filename: string; bytes: number; sha256: string }> {
  const output = pathInside(dir, `export.${format}`);
  const deadline = AbortSignal.timeout(limits.exportTimeoutMs);
  report("export", 0, undefined);
  await exportImage(
    {
      source: disk.path,
      sourceFormat: disk.format,
      output,
      format,
      ...(format === "ova" ? { ova: { name: disk.name, manifest: true } } : {}),
      onProgress: (p) => report("export", p.bytesDone, p.totalBytes),
    },
    { maxVirtualSize: limits.maxVirtualSize, timeoutMs: limits.exportTimeoutMs },
  );
  report("checksum", 0, undefined);
  const sums = await sha256Checksum(output, { skipHoles: true, signal: deadline }).catch((err: unknown) => {
    if (deadline.aborted)
      throw new JobFailure(
        "export-timeout",
        `the export did not finish within ${Math.round(limits.exportTimeoutMs / 1000)} s`,
      );
    throw err;
  });
  return { filename: `${disk.name}.${format}`, bytes: sums.bytes, sha256: sums.sha256 };
}
