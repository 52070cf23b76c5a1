import { AsyncLocalStorage } from "node:async_hooks";

/** Where a run writes: `process.stdout` and `process.stderr` are two, a test's collector another. */
export interface CliOutput {
  write(chunk: string | Uint8Array): unknown;
  /** True only on a terminal: tables and help may then use its width. */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** What a run reads secrets and messages from: `process.stdin`, or a stream a test feeds. */
export type CliInput = NodeJS.ReadableStream & { readonly isTTY?: boolean };

/** The environment a run sees (LAYERBOOM_URL, LAYERBOOM_TOKEN, LAYERBOOM_CONFIG_DIR...); never written. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/** Everything a run of the CLI touches of its process, so that a run can live in someone else's. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: CliInput;
  env: CliEnv;
}

// One IO per run, carried through its awaits. Commands reach it with cliIo() rather than through a
// parameter threaded into every output call; two runs at once in one process (tests run several
// with Promise.all) each see their own, and nothing global is patched.
const current = new AsyncLocalStorage<CliIo>();

/** Runs `fn` with `io` as the IO that cliIo() answers, in `fn` and everything it awaits. */
export function withCliIo<T>(io: CliIo, fn: () => T): T {
  return current.run(io, fn);
}

/** The IO of the run this code is part of. Throws outside a run rather than guess the process's. */
export function cliIo(): CliIo {
  const io = current.getStore();
  if (!io) throw new Error("cliIo() was called outside runCli(): a command must run through runCli.");
  return io;
}

/** The real process's IO, for `layerboom` itself. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Read on use: touching process.stdin opens it, which commands that never read it need not pay for.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  };
}
