import { EventEmitter } from "node:events";
import { createConnection, type Socket } from "node:net";
import { QmpCommandError, QmpConnectionClosedError, QmpProtocolError, QmpTimeoutError } from "./errors.js";

/** An asynchronous QMP event, such as SHUTDOWN, STOP, RESUME, RESET, POWERDOWN or GUEST_PANICKED. */
export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
  /** Host time of the event, in milliseconds since the epoch. */
  timestampMs: number;
}

/** The version QEMU announced in its greeting. */
export interface QmpGreeting {
  version: { qemu: { major: number; minor: number; micro: number }; package: string };
  capabilities: string[];
}

/** Options for {@link QmpClient.connect}. */
export interface QmpClientOptions {
  /** Time allowed for the connect, the greeting and capability negotiation. Default 5 s. */
  connectTimeoutMs?: number;
  /** Default time allowed for each command. Default 10 s. */
  commandTimeoutMs?: number;
}

/** Options after defaults are filled. */
export interface CompiledQmpClientOptions {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** Fills defaults for {@link QmpClientOptions}. */
export function compileQmpClientOptions(options: QmpClientOptions = {}): CompiledQmpClientOptions {
  const compiled = {
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
  };
  for (const [name, value] of Object.entries(compiled)) {
    if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  }
  return compiled;
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface QmpClientEvents {
  /** Every QMP event QEMU sends. */
  event: [QmpEvent];
  /** The socket closed; `error` is set when it was not closed by {@link QmpClient.close}. */
  close: [error: Error | undefined];
}

/**
 * A QMP client over a Unix socket: greeting, `qmp_capabilities`, commands correlated by `id`,
 * a timeout on every command, and events. One client per QEMU: QEMU serves a single QMP
 * connection per monitor, so the agent keeps this one open and shares it.
 */
export class QmpClient extends EventEmitter<QmpClientEvents> {
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private buffer = "";
  private closedByUs = false;
  private closeError: Error | undefined;
  private isClosed = false;

  private constructor(
    readonly socketPath: string,
    readonly greeting: QmpGreeting,
    private readonly socket: Socket,
    private readonly options: CompiledQmpClientOptions,
    leftover: string,
  ) {
    super();
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.onData(chunk));
    socket.on("error", (err) => {
      this.closeError = err;
    });
    socket.on("close", () => this.onClose());
    socket.resume();
    if (leftover) queueMicrotask(() => this.onData(leftover));
  }

  /** Connects, reads the greeting and negotiates capabilities. */
  static async connect(socketPath: string, options: QmpClientOptions = {}): Promise<QmpClient> {
    const compiled = compileQmpClientOptions(options);
    const { socket, greeting, leftover } = await openAndGreet(socketPath, compiled.connectTimeoutMs);
    const client = new QmpClient(socketPath, greeting, socket, compiled, leftover);
    try {
      await client.execute("qmp_capabilities", undefined, { timeoutMs: compiled.connectTimeoutMs });
    } catch (err) {
      client.destroy();
      throw err;
    }
    return client;
  }

  /** True once the socket has closed. */
  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Runs a command and resolves with its `return` value. Rejects with QmpCommandError,
   * QmpTimeoutError (the late answer, if any, is dropped) or QmpConnectionClosedError.
   */
  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    if (this.isClosed)
      return Promise.reject(new QmpConnectionClosedError(this.socketPath, command, this.closeError));
    const id = `lb-${this.nextId++}`;
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpTimeoutError(this.socketPath, command, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(
        `${JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id })}\n`,
      );
    });
  }

  /** Resolves with the next event named `name` (and passing `filter`), or rejects after `timeoutMs`. */
  waitForEvent(
    name: string,
    timeoutMs: number,
    filter: (e: QmpEvent) => boolean = () => true,
  ): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off("event", onEvent);
        this.off("close", onClose);
      };
      const onEvent = (e: QmpEvent): void => {
        if (e.event !== name || !filter(e)) return;
        cleanup();
        resolve(e);
      };
      const onClose = (): void => {
        cleanup();
        reject(new QmpConnectionClosedError(this.socketPath, `event ${name}`, this.closeError));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new QmpTimeoutError(this.socketPath, `event ${name}`, timeoutMs));
      }, timeoutMs);
      this.on("event", onEvent);
      this.on("close", onClose);
    });
  }

  /** Closes the connection; QEMU keeps running. Pending commands reject. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.closedByUs = true;
    await new Promise<void>((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.end();
      // A peer that never finishes the close handshake must not keep us waiting.
      setTimeout(() => this.socket.destroy(), 1_000).unref();
    });
  }

  private destroy(): void {
    this.closedByUs = true;
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.onMessage(line);
    }
  }

  private onMessage(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.closeError = new QmpProtocolError(this.socketPath, `not JSON: ${line.slice(0, 200)}`);
      this.socket.destroy();
      return;
    }
    if (typeof message.event === "string") {
      const ts = message.timestamp as { seconds?: number; microseconds?: number } | undefined;
      this.emit("event", {
        event: message.event,
        data: (message.data as Record<string, unknown> | undefined) ?? {},
        timestampMs:
          ts?.seconds !== undefined
            ? ts.seconds * 1000 + Math.floor((ts.microseconds ?? 0) / 1000)
            : Date.now(),
      });
      return;
    }
    const id = typeof message.id === "string" ? message.id : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    // An answer to a command that already timed out: nobody is waiting for it any more.
    if (!pending || id === undefined) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if ("error" in message) {
      const error = message.error as { class?: string; desc?: string };
      pending.reject(new QmpCommandError(pending.command, error.class ?? "GenericError", error.desc ?? ""));
    } else {
      pending.resolve(message.return);
    }
  }

  private onClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const error = this.closedByUs
      ? undefined
      : (this.closeError ?? new QmpConnectionClosedError(this.socketPath, undefined));
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new QmpConnectionClosedError(this.socketPath, pending.command, this.closeError));
    }
    this.emit("close", error);
  }
}

function openAndGreet(
  socketPath: string,
  timeoutMs: number,
): Promise<{ socket: Socket; greeting: QmpGreeting; leftover: string }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path: socketPath });
    let buffer = "";
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on("error", () => undefined);
      socket.destroy();
      reject(err);
    };
    // QEMU accepts a second client but greets it only after the first one leaves; the timeout covers that.
    const timer = setTimeout(() => fail(new QmpTimeoutError(socketPath, "greeting", timeoutMs)), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("error", (err) => fail(err));
    socket.on("close", () => fail(new QmpConnectionClosedError(socketPath, "greeting")));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf("\n");
      if (newline < 0) return;
      let greeting: { QMP?: QmpGreeting };
      try {
        greeting = JSON.parse(buffer.slice(0, newline)) as { QMP?: QmpGreeting };
      } catch {
        fail(new QmpProtocolError(socketPath, "greeting is not JSON"));
        return;
      }
      if (!greeting.QMP) {
        fail(new QmpProtocolError(socketPath, "no QMP greeting"));
        return;
      }
      clearTimeout(timer);
      socket.pause();
      socket.removeAllListeners();
      resolve({ socket, greeting: greeting.QMP, leftover: buffer.slice(newline + 1) });
    });
  });
}
