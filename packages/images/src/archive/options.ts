/** Limits for unpacking untrusted archives. */
export interface ArchiveOptions {
  /** Sum of all entry sizes. Default 64 GiB. */
  maxTotalBytes?: number;
  /** Number of entries. Default 100 000. */
  maxEntries?: number;
  /** Symlinks are kept only when they resolve inside the destination. Default true. */
  allowSymlinks?: boolean;
  /** Hard links are kept only when they point at a regular file already extracted. Default true. */
  allowHardlinks?: boolean;
}

/** ArchiveOptions with defaults filled in. */
export interface CompiledArchiveOptions {
  maxTotalBytes: number;
  maxEntries: number;
  allowSymlinks: boolean;
  allowHardlinks: boolean;
}

/** Fills defaults and validates archive options. */
export function compileArchiveOptions(options: ArchiveOptions = {}): CompiledArchiveOptions {
  const maxTotalBytes = options.maxTotalBytes ?? 64 * 1024 ** 3;
  const maxEntries = options.maxEntries ?? 100_000;
  if (!(maxTotalBytes > 0) || !(maxEntries > 0)) throw new RangeError("archive limits must be positive");
  return {
    maxTotalBytes,
    maxEntries,
    allowSymlinks: options.allowSymlinks ?? true,
    allowHardlinks: options.allowHardlinks ?? true,
  };
}

/** Limits for decompressing untrusted streams. */
export interface DecompressOptions {
  /** Largest decompressed output. Default 64 GiB. */
  maxOutputBytes?: number;
  /**
   * Largest output/input ratio. Deflate tops out near 1030:1 on zeros, so a bomb sits at that
   * end; raise it for raw images that are mostly empty. Default 250.
   */
  maxRatio?: number;
  /** Wall-clock limit for the xz/bzip2 programs. Default 30 min. */
  timeoutMs?: number;
}

/** DecompressOptions with defaults filled in. */
export interface CompiledDecompressOptions {
  maxOutputBytes: number;
  maxRatio: number;
  timeoutMs: number;
}

/** Fills defaults and validates decompression options. */
export function compileDecompressOptions(options: DecompressOptions = {}): CompiledDecompressOptions {
  const compiled = {
    maxOutputBytes: options.maxOutputBytes ?? 64 * 1024 ** 3,
    maxRatio: options.maxRatio ?? 250,
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
  };
  if (!(compiled.maxOutputBytes > 0) || !(compiled.maxRatio >= 1) || !(compiled.timeoutMs > 0)) {
    throw new RangeError("decompression limits must be positive (ratio at least 1)");
  }
  return compiled;
}
