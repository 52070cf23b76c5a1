export { BaseImageCache, compileBaseImageCacheOptions, sha256File } from "./base-image-cache.js";
export type {
  BaseImageCacheOptions,
  CompiledBaseImageCacheOptions,
  CachedImage,
} from "./base-image-cache.js";
export { ensureOverlay, removeOverlay } from "./overlay.js";
export type { OverlaySpec, OverlayResult } from "./overlay.js";
export { imageInfo, overlayCreateArgs } from "./qemu-img.js";
export type { DiskFormat, ImageInfo } from "./qemu-img.js";
export { ImageChecksumError, BaseImageNotCachedError, DiskConflictError } from "./errors.js";
export {
  backupConvertArgs,
  backupTargetCreateArgs,
  restoreConvertArgs,
  convertBackupToOverlay,
  convertOverlayToBackup,
  createBackupTarget,
} from "./backup-files.js";
