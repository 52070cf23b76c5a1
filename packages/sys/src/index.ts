export { ProgramError, runProgram } from "./run-program.js";
export type { ProgramLimits, ProgramResult, RunProgramOptions } from "./run-program.js";
