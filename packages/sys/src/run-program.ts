import { spawn } from "node:child_process";

/** Resource limits applied to a child through prlimit(1). */
export interface ProgramLimits {
  /** RLIMIT_CPU, in seconds of CPU time. */
  cpuSeconds?: number;
  /** RLIMIT_AS, in bytes of address space. */
  addressSpaceBytes?: number;
  /** RLIMIT_FSIZE, in bytes: the largest file the child may write. */
  fileSizeBytes?: number;
}

export interface RunProgramOptions {
  /** Wall-clock limit; the child gets SIGKILL when it passes. Default 60 s. */
  timeoutMs?: number;
  limits?: ProgramLimits;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes written to the child's stdin, then stdin is closed. */
  input?: string | Buffer;
  /** Largest stdout kept in memory; more is an error. Default 16 MiB. */
  maxOutputBytes?: number;
  /** Receives stderr lines as they arrive (qemu-img progress, for example). */
  onStderrLine?: (line: string) => void;
  /** Receives stdout lines as they arrive. */
  onStdoutLine?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ProgramResult {
  stdout: string;
  stderr: string;
}

/** A program exited non-zero, was killed, timed out or could not be started. Carries its stderr. */
export class ProgramError extends Error {
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderr: string,
    readonly reason: "exit" | "timeout" | "spawn" | "output-limit",
  ) {
    const tail = stderr.trim().split("\n").slice(-5).join("\n");
    const how =
      reason === "timeout"
        ? "timed out"
        : reason === "spawn"
          ? "could not be started"
          : reason === "output-limit"
            ? "printed more output than allowed"
            : signal
              ? `was killed by ${signal}`
              : `exited with code ${exitCode}`;
    super(`${program} ${how}${tail ? `: ${tail}` : ""}`);
    this.name = "ProgramError";
  }
}

function prlimitArgs(limits: ProgramLimits): string[] {
  const args: string[] = [];
  if (limits.cpuSeconds !== undefined) args.push(`--cpu=${Math.ceil(limits.cpuSeconds)}`);
  if (limits.addressSpaceBytes !== undefined) args.push(`--as=${Math.floor(limits.addressSpaceBytes)}`);
  if (limits.fileSizeBytes !== undefined) args.push(`--fsize=${Math.floor(limits.fileSizeBytes)}`);
  return args;
}

function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk;
    const parts = pending.split(/\r?\n|\r/);
    pending = parts.pop() ?? "";
    for (const part of parts) onLine(part);
  };
}

/**
 * Runs an external program with an argument array (never through a shell), a timeout and
 * optional prlimit(1) resource limits. Resolves with its output, or rejects with a
 * ProgramError that carries its stderr.
 */
export function runProgram(
  program: string,
  args: readonly string[],
  options: RunProgramOptions = {},
): Promise<ProgramResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxOutput = options.maxOutputBytes ?? 16 * 1024 * 1024;
  const limitArgs = options.limits ? prlimitArgs(options.limits) : [];
  const [file, argv] =
    limitArgs.length > 0 ? ["prlimit", [...limitArgs, "--", program, ...args]] : [program, [...args]];

  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      signal: options.signal,
    });
    let stdout = "";
    let stderr = "";
    let failure: ProgramError["reason"] | undefined;
    const onErrLine = options.onStderrLine ? lineSplitter(options.onStderrLine) : undefined;
    const onOutLine = options.onStdoutLine ? lineSplitter(options.onStdoutLine) : undefined;
    const timer = setTimeout(() => {
      failure = "timeout";
      child.kill("SIGKILL");
    }, timeoutMs);

    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      onOutLine?.(chunk);
      if (stdout.length + chunk.length > maxOutput) {
        failure = "output-limit";
        child.kill("SIGKILL");
        return;
      }
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      onErrLine?.(chunk);
      // Keep the tail only: stderr is for the error message, not for data.
      stderr = (stderr + chunk).slice(-64 * 1024);
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new ProgramError(program, args, null, null, err.message, "spawn"));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure) reject(new ProgramError(program, args, code, signal, stderr, failure));
      else if (code !== 0) reject(new ProgramError(program, args, code, signal, stderr, "exit"));
      else resolve({ stdout, stderr });
    });
  });
}
