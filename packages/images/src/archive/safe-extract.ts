import { constants } from "node:fs";
import { link, mkdir, open, realpath, symlink } from "node:fs/promises";
import { join, posix } from "node:path";
import type { Readable } from "node:stream";
import { extract as tarExtract, type Header } from "tar-stream";
import { ArchiveRejectedError, quote } from "../errors.js";
import { compileArchiveOptions, type ArchiveOptions } from "./options.js";

/** One entry written to the destination. */
export interface ExtractedEntry {
  /** Normalised path inside the archive. */
  name: string;
  type: "file" | "directory" | "symlink" | "link";
  size: number;
  /** Where it now lives on the host. */
  path: string;
}

const ZERO_BLOCK = 64 * 1024;

/** Checks an archive member name and returns it normalised, or throws the check it breaks. */
export function normaliseEntryName(raw: string): string {
  if (raw.includes("\0") || raw.includes("\\")) {
    throw new ArchiveRejectedError(
      "archive-path-invalid",
      `entry name ${quote(raw)} holds NUL or a backslash`,
      raw,
    );
  }
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) {
    throw new ArchiveRejectedError("archive-absolute-path", `entry ${quote(raw)} is an absolute path`, raw);
  }
  const parts = raw.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) {
    throw new ArchiveRejectedError("archive-path-traversal", `entry ${quote(raw)} climbs out with ..`, raw);
  }
  return parts.join("/");
}

function isZero(buffer: Buffer): boolean {
  for (let i = 0; i < buffer.length; i++) if (buffer[i] !== 0) return false;
  return true;
}

/**
 * Unpacks a tar stream into an empty destination, refusing absolute names, `..`, links that
 * leave the destination, hard links to links, paths that pass through an extracted symlink,
 * device nodes, fifos and duplicates. Files are created with O_EXCL|O_NOFOLLOW, without set-id
 * bits, and runs of zeros become holes.
 */
export async function extractTar(
  input: Readable,
  destination: string,
  options: ArchiveOptions = {},
): Promise<ExtractedEntry[]> {
  const opts = compileArchiveOptions(options);
  const root = await realpath(destination);
  const extractor = tarExtract();
  const seen = new Map<string, ExtractedEntry["type"]>();
  const symlinks = new Set<string>();
  const entries: ExtractedEntry[] = [];
  let total = 0;
  input.on("error", (err) => extractor.destroy(err));
  input.pipe(extractor);
  try {
    for await (const entry of extractor) {
      const header: Header = entry.header;
      const name = normaliseEntryName(header.name);
      if (seen.size + 1 > opts.maxEntries) {
        throw new ArchiveRejectedError(
          "archive-too-many-entries",
          `more than ${opts.maxEntries} entries`,
          header.name,
        );
      }
      const parts = name.split("/");
      for (let i = 1; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join("/");
        if (symlinks.has(prefix) || (seen.has(prefix) && seen.get(prefix) !== "directory")) {
          throw new ArchiveRejectedError(
            "archive-path-through-link",
            `entry ${quote(name)} passes through ${quote(prefix)}`,
            name,
          );
        }
      }
      if (name !== "" && seen.has(name)) {
        throw new ArchiveRejectedError("archive-duplicate-entry", `entry ${quote(name)} appears twice`, name);
      }
      const target = join(root, name);
      const type = header.type ?? "file";
      if (type === "directory") {
        if (name !== "") await mkdir(target, { recursive: true, mode: 0o755 });
        seen.set(name, "directory");
        entry.resume();
        continue;
      }
      if (name === "")
        throw new ArchiveRejectedError("archive-path-invalid", "entry with an empty name", header.name);
      await mkdir(join(root, ...parts.slice(0, -1)), { recursive: true, mode: 0o755 });
      if (type === "symlink") {
        const linkname = header.linkname ?? "";
        if (!opts.allowSymlinks)
          throw new ArchiveRejectedError(
            "archive-entry-type",
            `symlink ${quote(name)} is not allowed here`,
            name,
          );
        const resolved = posix.normalize(posix.join(posix.dirname(name), linkname));
        if (
          linkname.startsWith("/") ||
          linkname.includes("\0") ||
          resolved === ".." ||
          resolved.startsWith("../")
        ) {
          throw new ArchiveRejectedError(
            "archive-link-escape",
            `symlink ${quote(name)} points outside the archive: ${quote(linkname)}`,
            name,
          );
        }
        await symlink(linkname, target);
        symlinks.add(name);
        seen.set(name, "symlink");
        entries.push({ name, type: "symlink", size: 0, path: target });
        entry.resume();
        continue;
      }
      if (type === "link") {
        if (!opts.allowHardlinks)
          throw new ArchiveRejectedError(
            "archive-entry-type",
            `hard link ${quote(name)} is not allowed here`,
            name,
          );
        const raw = header.linkname ?? "";
        let linked: string;
        try {
          linked = normaliseEntryName(raw);
        } catch {
          throw new ArchiveRejectedError(
            "archive-link-escape",
            `hard link ${quote(name)} points outside the archive: ${quote(raw)}`,
            name,
          );
        }
        const kind = seen.get(linked);
        if (kind === "symlink" || kind === "link") {
          throw new ArchiveRejectedError(
            "archive-hardlink-to-link",
            `hard link ${quote(name)} points at link ${quote(linked)}`,
            name,
          );
        }
        if (kind !== "file") {
          throw new ArchiveRejectedError(
            "archive-link-escape",
            `hard link ${quote(name)} points at ${quote(raw)}, not an extracted file`,
            name,
          );
        }
        await link(join(root, linked), target);
        seen.set(name, "link");
        entries.push({ name, type: "link", size: 0, path: target });
        entry.resume();
        continue;
      }
      if (type !== "file" && type !== "contiguous-file") {
        throw new ArchiveRejectedError("archive-entry-type", `entry ${quote(name)} is a ${type}`, name);
      }
      const size = header.size ?? 0;
      total += size;
      if (total > opts.maxTotalBytes) {
        throw new ArchiveRejectedError(
          "archive-size",
          `entries add up to more than ${opts.maxTotalBytes} bytes`,
          name,
        );
      }
      const fh = await open(
        target,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        (header.mode ?? 0o644) & 0o755,
      );
      try {
        let position = 0;
        for await (const chunk of entry) {
          const buffer = chunk as Buffer;
          for (let off = 0; off < buffer.length; off += ZERO_BLOCK) {
            const piece = buffer.subarray(off, off + ZERO_BLOCK);
            if (!isZero(piece)) await fh.write(piece, 0, piece.length, position);
            position += piece.length;
          }
        }
        await fh.truncate(position);
      } finally {
        await fh.close();
      }
      seen.set(name, "file");
      entries.push({ name, type: "file", size, path: target });
    }
  } catch (err) {
    extractor.destroy();
    input.destroy();
    if (err instanceof ArchiveRejectedError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ArchiveRejectedError("archive-malformed", `tar stream is malformed: ${message}`);
  }
  return entries;
}
