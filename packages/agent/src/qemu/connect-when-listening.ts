/** How long to keep trying, and when to give up early. */
export interface ListenWaitOptions {
  /** Give up after this many milliseconds in all. */
  timeoutMs: number;
  /** Checked between tries: false (QEMU exited) stops the wait at once. */
  stillRunning?: () => boolean | Promise<boolean>;
  /** Pause between tries. Default 10 ms, doubling up to 200 ms. */
  firstPauseMs?: number;
}

/** Errors that mean "not listening yet" on a unix socket, as opposed to a real failure. */
const NOT_YET = new Set(["ECONNREFUSED", "ENOENT"]);

/** The socket never started listening in time, or its process went away first. */
export class NotListeningError extends Error {
  constructor(
    readonly socketPath: string,
    readonly reason: "timeout" | "exited",
    readonly lastError: unknown,
  ) {
    super(
      reason === "exited"
        ? `${socketPath}: the process exited before it listened`
        : `${socketPath}: not listening after waiting (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`,
      { cause: lastError },
    );
    this.name = "NotListeningError";
  }
}

/**
 * Opens a connection to a unix socket that QEMU serves, retrying while it is not listening yet.
 * QEMU binds the socket file before it listens on it; on a loaded host the gap between the
 * two is long enough for a connect to land in it and get ECONNREFUSED (seen in CI with both
 * cores busy). Any other error is a real failure and is thrown at once.
 */
export async function connectWhenListening<T>(
  socketPath: string,
  open: () => Promise<T>,
  options: ListenWaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let pause = options.firstPauseMs ?? 10;
  for (;;) {
    try {
      return await open();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!code || !NOT_YET.has(code)) throw err;
      if (options.stillRunning && !(await options.stillRunning()))
        throw new NotListeningError(socketPath, "exited", err);
      if (Date.now() + pause > deadline) throw new NotListeningError(socketPath, "timeout", err);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 200);
    }
  }
}
