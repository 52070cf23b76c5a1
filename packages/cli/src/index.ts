export { processIo } from "./cli-io.js";
export type { CliEnv, CliInput, CliIo, CliOutput } from "./cli-io.js";
export { configPath, readConfig, resolveConnection, writeConfig } from "./config.js";
export type { CliConfig } from "./config.js";
export { renderTable } from "./output.js";
export { buildProgram, runCli } from "./run-cli.js";
