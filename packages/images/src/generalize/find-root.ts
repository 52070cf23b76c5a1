import { openFileReader } from "../inspect/region-reader.js";
import { readPartitionTable } from "../inspect/partition-table.js";
import { Debugfs, S_IFDIR, S_IFMT } from "./debugfs.js";

/** Where the root filesystem of a raw disk is, and what it is. */
export type RootFilesystem =
  | {
      found: true;
      /** `ext2`, `ext3` or `ext4`: the only filesystems we edit. */
      filesystem: "ext2" | "ext3" | "ext4";
      offsetBytes: number;
      /** 1-based partition number; absent for a filesystem on the whole disk. */
      partition?: number;
    }
  | { found: false; reason: string };

const EXT_MAGIC = 0xef53;

async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const reader = await openFileReader(path);
  try {
    return await reader.read(offset, length);
  } finally {
    await reader.close();
  }
}

/** What the filesystem at `offset` is, by its superblock's magic; `ext*` by its features. */
async function filesystemAt(path: string, offset: number): Promise<string | undefined> {
  const head = await readAt(path, offset, 65_536 + 128);
  if (head.length >= 1024 + 100 && head.readUInt16LE(1024 + 56) === EXT_MAGIC) {
    const compat = head.readUInt32LE(1024 + 92);
    const incompat = head.readUInt32LE(1024 + 96);
    // INCOMPAT_EXTENTS or FLEX_BG / 64BIT make it ext4; COMPAT_HAS_JOURNAL alone ext3.
    if (incompat & (0x40 | 0x80 | 0x200)) return "ext4";
    return compat & 0x4 ? "ext3" : "ext2";
  }
  if (head.subarray(0, 4).toString("latin1") === "XFSB") return "xfs";
  if (head.length >= 0x10048 && head.subarray(0x10040, 0x10048).toString("latin1") === "_BHRfS_M")
    return "btrfs";
  return undefined;
}

/**
 * Finds the root filesystem of a raw disk without mounting anything: a filesystem on the whole
 * disk, or the first MBR/GPT partition holding an ext2/3/4 filesystem with an `/etc` directory.
 * Anything else (XFS, btrfs, LVM, LUKS, no filesystem we know) is reported, not guessed at.
 */
export async function findRootFilesystem(rawPath: string): Promise<RootFilesystem> {
  const whole = await filesystemAt(rawPath, 0);
  const candidates: { offset: number; partition?: number; fs: string | undefined }[] = [];
  if (whole) candidates.push({ offset: 0, fs: whole });
  else {
    const reader = await openFileReader(rawPath);
    const table = await readPartitionTable(reader).finally(() => reader.close());
    for (const p of table?.partitions ?? []) {
      const offset = p.startLba * 512;
      candidates.push({ offset, partition: p.index, fs: await filesystemAt(rawPath, offset) });
    }
  }
  const others: string[] = [];
  for (const c of candidates) {
    if (c.fs !== "ext2" && c.fs !== "ext3" && c.fs !== "ext4") {
      if (c.fs) others.push(c.partition ? `${c.fs} on partition ${c.partition}` : c.fs);
      continue;
    }
    const root = await new Debugfs(rawPath, c.offset, false).list("/");
    const etc = root?.find((e) => e.name === "etc");
    if (!etc || (etc.mode & S_IFMT) !== S_IFDIR) {
      others.push(`${c.fs} without /etc${c.partition ? ` on partition ${c.partition}` : ""}`);
      continue;
    }
    return {
      found: true,
      filesystem: c.fs,
      offsetBytes: c.offset,
      ...(c.partition ? { partition: c.partition } : {}),
    };
  }
  return {
    found: false,
    reason:
      others.length > 0
        ? `no ext2/3/4 root filesystem (found ${others.join(", ")}); only ext2/3/4 are generalised`
        : "no filesystem we know on the disk or its partitions; only ext2/3/4 are generalised",
  };
}
