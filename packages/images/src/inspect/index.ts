export {
  compileSafetyCheckOptions,
  DEFAULT_MAX_VIRTUAL_SIZE,
  inspectAndCheck,
  inspectImage,
  inspectReader,
  qemuFormatOf,
  safetyCheck,
} from "./inspect.js";
export type { CompiledSafetyCheckOptions, SafetyCheckOptions } from "./inspect.js";
export { bufferReader, openFileReader } from "./region-reader.js";
export type { RegionReader } from "./region-reader.js";
export type { FormatReport, ImageFormat, ImageInspection, PartitionTableInfo } from "./types.js";
export { parseVmdkDescriptor, SAFE_VMDK_CREATE_TYPES } from "./vmdk.js";
export type { VmdkDescriptor, VmdkExtent } from "./vmdk.js";
export { vhdxGuid } from "./vhdx.js";
