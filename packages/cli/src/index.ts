export { configPath, readConfig, resolveConnection, writeConfig } from "./config.js";
export type { CliConfig } from "./config.js";
export { renderTable } from "./output.js";
