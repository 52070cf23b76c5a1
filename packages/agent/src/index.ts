export * from "./metering/index.js";
export * from "./qemu/index.js";
export * from "./disks/index.js";
export * from "./seed/index.js";
export * from "./accel/index.js";
export * from "./daemon/index.js";
export * from "./network/index.js";
