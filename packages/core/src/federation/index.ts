export * from "./offer-pricing.js";
