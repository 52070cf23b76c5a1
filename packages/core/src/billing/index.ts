export * from "./usage.js";
export * from "./discounts.js";
export * from "./taxes.js";
export * from "./addons.js";
export * from "./network-addons.js";
export * from "./image-storage.js";
export * from "./errors.js";
export * from "./invoice-composer.js";
