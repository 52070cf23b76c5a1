/** A file's sha256 is not the one it was inserted or recorded under. */
export class ImageChecksumError extends Error {
  constructor(
    readonly path: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(`${path}: sha256 is ${actualSha256}, expected ${expectedSha256}`);
    this.name = "ImageChecksumError";
  }
}

/** No base image with this sha256 is in the host's cache. */
export class BaseImageNotCachedError extends Error {
  constructor(readonly sha256: string) {
    super(`base image ${sha256} is not in the cache`);
    this.name = "BaseImageNotCachedError";
  }
}

/** A disk would have to shrink, or an existing overlay sits on another backing file. */
export class DiskConflictError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = "DiskConflictError";
  }
}
