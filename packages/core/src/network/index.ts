export * from "./ipv4.js";
