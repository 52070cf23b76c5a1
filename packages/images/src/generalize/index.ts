export { generalizeRawDisk } from "./generalize.js";
export type { GeneralizeResult, GeneralizeStep } from "./generalize.js";
export { findRootFilesystem } from "./find-root.js";
export type { RootFilesystem } from "./find-root.js";
