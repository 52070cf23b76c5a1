export * from "./errors.js";
export * from "./inspect/index.js";
export * from "./convert/index.js";
export * from "./archive/index.js";
export * from "./ami/index.js";
export * from "./bootable/index.js";
export * from "./generalize/index.js";
