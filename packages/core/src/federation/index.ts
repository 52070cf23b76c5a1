export * from "./offer-pricing.js";
export * from "./usage-pricing.js";
