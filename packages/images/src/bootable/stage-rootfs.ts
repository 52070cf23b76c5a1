import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { extract as tarExtract } from "tar-stream";
import { normaliseEntryName } from "../archive/safe-extract.js";
import { ArchiveRejectedError, BootableError, quote } from "../errors.js";

/** Where a root filesystem comes from. */
export type RootfsSource =
  { kind: "directory"; path: string } | { kind: "tar"; path: string } | { kind: "ext-image"; path: string };

/** Limits on a root filesystem tarball. */
export interface RootfsTarLimits {
  maxEntries: number;
  maxTotalBytes: number;
}

const DEFAULT_TAR_LIMITS: RootfsTarLimits = { maxEntries: 2_000_000, maxTotalBytes: 256 * 1024 ** 3 };

/** The ext2/3/4 superblock magic (0xEF53, little-endian) at byte 1080 of a bare filesystem image. */
export function isExtFilesystem(head: Buffer): boolean {
  return head.length >= 1082 && head.readUInt16LE(1080) === 0xef53;
}

/**
 * Reads a root filesystem tarball's headers without writing anything and refuses what GNU tar
 * must never be asked to unpack: absolute names, `..`, entries below a symlink, hard links to
 * links or to nothing, and device nodes or fifos (a root filesystem does not need them: the
 * guest mounts devtmpfs on /dev). Symlinks may point anywhere: they are resolved inside the
 * guest, never on the host. Returns the number of entries and their bytes.
 */
export async function checkRootfsTar(
  path: string,
  limits: RootfsTarLimits = DEFAULT_TAR_LIMITS,
): Promise<{ entries: number; bytes: number }> {
  const extractor = tarExtract();
  const input = createReadStream(path);
  input.on("error", (err) => extractor.destroy(err));
  input.pipe(extractor);
  const kinds = new Map<string, string>();
  let bytes = 0;
  try {
    for await (const entry of extractor) {
      const header = entry.header;
      const name = rootfsEntryName(header.name);
      const type = header.type ?? "file";
      if (kinds.size + 1 > limits.maxEntries)
        throw new ArchiveRejectedError("archive-too-many-entries", `more than ${limits.maxEntries} entries`);
      const parts = name.split("/");
      for (let i = 1; i < parts.length; i++) {
        const kind = kinds.get(parts.slice(0, i).join("/"));
        if (kind !== undefined && kind !== "directory") {
          throw new ArchiveRejectedError(
            "archive-path-through-link",
            `entry ${quote(name)} passes through ${quote(parts.slice(0, i).join("/"))}, a ${kind}`,
            name,
          );
        }
      }
      if (type === "link") {
        const target = rootfsEntryName(header.linkname ?? "");
        const kind = kinds.get(target);
        if (kind === "symlink" || kind === "link")
          throw new ArchiveRejectedError(
            "archive-hardlink-to-link",
            `hard link ${quote(name)} points at link ${quote(target)}`,
            name,
          );
        if (kind !== "file")
          throw new ArchiveRejectedError(
            "archive-link-escape",
            `hard link ${quote(name)} points at ${quote(header.linkname ?? "")}, not an earlier file`,
            name,
          );
      } else if (type === "symlink") {
        if ((header.linkname ?? "").includes("\0"))
          throw new ArchiveRejectedError("archive-path-invalid", `symlink ${quote(name)} holds NUL`, name);
      } else if (type !== "file" && type !== "contiguous-file" && type !== "directory") {
        throw new ArchiveRejectedError(
          "archive-entry-type",
          `entry ${quote(name)} is a ${type}; pack the root filesystem without /dev, /proc and /sys (the guest mounts them itself)`,
          name,
        );
      }
      if (kinds.has(name) && !(type === "directory" && kinds.get(name) === "directory")) {
        throw new ArchiveRejectedError("archive-duplicate-entry", `entry ${quote(name)} appears twice`, name);
      }
      kinds.set(name, type === "contiguous-file" ? "file" : type);
      bytes += header.size ?? 0;
      if (bytes > limits.maxTotalBytes)
        throw new ArchiveRejectedError(
          "archive-size",
          `entries add up to more than ${limits.maxTotalBytes} bytes`,
        );
      entry.resume();
    }
  } catch (err) {
    extractor.destroy();
    input.destroy();
    if (err instanceof ArchiveRejectedError) throw err;
    throw new ArchiveRejectedError(
      "archive-malformed",
      `tar stream is malformed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  for (const dir of ["etc", "bin", "usr"]) {
    if (!kinds.has(dir) && ![...kinds.keys()].some((k) => k.startsWith(`${dir}/`))) {
      throw new BootableError(
        "rootfs-not-linux",
        `the tarball has no ${dir}/ at its top; pack the root filesystem from inside it (tar -C rootfs .)`,
      );
    }
  }
  return { entries: kinds.size, bytes };
}

/**
 * An entry name of a root filesystem tarball, normalised. Unlike an OVA's, it may hold
 * backslashes (systemd escapes `-` in unit names as `\x2d`), but never NUL, an absolute path
 * or `..`.
 */
function rootfsEntryName(raw: string): string {
  // normaliseEntryName refuses backslashes; carry them through as a control character.
  const carried = raw.replaceAll("\\", "\u0001");
  return normaliseEntryName(carried).replaceAll("\u0001", "\\");
}

/** The preserving-copy flags: owners by number, modes with set-id bits, xattrs, ACLs, holes. */
const TAR_PRESERVE = ["--numeric-owner", "--xattrs", "--xattrs-include=*", "--acls", "--sparse"];

/**
 * Unpacks or copies a root filesystem into `stage` (an empty folder), preserving owners, modes,
 * xattrs, hard links and holes. A tarball is checked by {@link checkRootfsTar} first; a bare
 * ext2/3/4 image is checked with `e2fsck -fn` before the kernel mounts it read-only, nodev,
 * nosuid and noexec.
 */
export async function stageRootfs(source: RootfsSource, stage: string, workDir: string): Promise<string[]> {
  await mkdir(stage, { recursive: true, mode: 0o755 });
  switch (source.kind) {
    case "tar": {
      const { entries, bytes } = await checkRootfsTar(source.path);
      await runProgram(
        "tar",
        ["-x", "-f", source.path, "-C", stage, "--same-owner", "--same-permissions", ...TAR_PRESERVE],
        { timeoutMs: 60 * 60_000 },
      );
      return [`unpacked a root filesystem tarball (${entries} entries, ${bytes} bytes)`];
    }
    case "directory":
      await copyTree(source.path, stage);
      return [`copied a root filesystem directory`];
    case "ext-image": {
      const check = await runProgram("e2fsck", ["-f", "-n", source.path], {
        timeoutMs: 30 * 60_000,
      }).catch((err: Error) => {
        throw new BootableError(
          "rootfs-filesystem",
          `e2fsck finds the ext filesystem image damaged or not ext2/3/4: ${err.message.slice(0, 300)}`,
        );
      });
      const mount = await mkdtemp(join(workDir, "mnt-"));
      // The ext4 driver mounts ext2 and ext3 too.
      await runProgram("mount", ["-t", "ext4", "-o", "loop,ro,nodev,nosuid,noexec", source.path, mount], {
        timeoutMs: 60_000,
      });
      try {
        await copyTree(mount, stage);
      } finally {
        await runProgram("umount", [mount], { timeoutMs: 60_000 });
        await rm(mount, { recursive: true, force: true });
      }
      const summary = check.stdout.trim().split("\n").pop() ?? "";
      return [
        `checked the ext filesystem image (e2fsck: ${summary})`,
        "copied its files out of a read-only mount",
      ];
    }
  }
}

/** Copies a tree preserving owners, modes, xattrs, hard links and holes; symlinks are copied, never followed. */
async function copyTree(from: string, to: string): Promise<void> {
  await runProgram("cp", ["-a", "--sparse=always", "--no-target-directory", from, to], {
    timeoutMs: 60 * 60_000,
  });
}
