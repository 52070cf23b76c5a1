import { describe, expect, it } from "vitest";
import { ProgramError, runProgram } from "./run-program.js";

describe("runProgram", () => {
  it("passes arguments as an array, so shell syntax stays literal", async () => {
    const { stdout } = await runProgram("printf", ["%s", "$(id); rm -rf /"]);
    expect(stdout).toBe("$(id); rm -rf /");
  });

  it("rejects with the program's stderr on a non-zero exit", async () => {
    const err = await runProgram("sh", ["-c", "echo broken >&2; exit 3"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProgramError);
    expect((err as ProgramError).exitCode).toBe(3);
    expect((err as ProgramError).message).toContain("broken");
  });

  it("kills a program that runs past its timeout", async () => {
    const err = await runProgram("sleep", ["5"], { timeoutMs: 100 }).catch((e: unknown) => e);
    expect((err as ProgramError).reason).toBe("timeout");
  });

  it("applies prlimit resource limits", async () => {
    const { stdout } = await runProgram("sh", ["-c", "ulimit -t"], { limits: { cpuSeconds: 7 } });
    expect(stdout.trim()).toBe("7");
  });

  it("reports a program that cannot be started", async () => {
    const err = await runProgram("/nonexistent/program", []).catch((e: unknown) => e);
    expect((err as ProgramError).reason).toBe("spawn");
  });
});
