export { createDecompressionGuard, decompressFile, detectCompression } from "./decompress.js";
export type { Compression, DecompressResult } from "./decompress.js";
export { compileArchiveOptions, compileDecompressOptions } from "./options.js";
export type {
  ArchiveOptions,
  CompiledArchiveOptions,
  CompiledDecompressOptions,
  DecompressOptions,
} from "./options.js";
export { readOva } from "./ova.js";
export type { OvaDisk, OvaPackage } from "./ova.js";
export { extractTar, normaliseEntryName } from "./safe-extract.js";
export type { ExtractedEntry } from "./safe-extract.js";
export { asList, parseXmlSafely, textOf } from "./safe-xml.js";
export type { SafeXmlOptions } from "./safe-xml.js";
export { firstTarEntry } from "./first-tar-entry.js";
export { extractImageMember } from "./extract-image-member.js";
export type { ExtractedImageMember, ImageMemberOptions } from "./extract-image-member.js";
export { readTarMembers } from "./sparse-tar.js";
export type { MemberChunk, TarMember, TarReadLimits } from "./sparse-tar.js";
export { MAX_SPARSE_REGIONS } from "./sparse-map.js";
export type { SparseForm, SparseMap, SparseRegion } from "./sparse-map.js";
export { writeSparseFile } from "./sparse-file.js";
