import { EventEmitter } from "node:events";
import { createConnection, type Socket } from "node:net";
import { Duplex } from "node:stream";
import { ByteRing } from "./ring-buffer.js";

/** Options for {@link SerialConsole.connect}. */
export interface SerialConsoleOptions {
  /** Bytes of scrollback kept for late subscribers. Default 256 KiB. */
  scrollbackBytes?: number;
  /** Time allowed to connect. Default 5 s. */
  connectTimeoutMs?: number;
  /** Output from before this connection (the tail of QEMU's serial log), so a restarted agent keeps the scrollback. */
  earlierOutput?: Buffer;
}

interface SerialConsoleEvents {
  data: [Buffer];
  close: [];
}

/**
 * The agent's single connection to a VM's serial chardev socket. QEMU serves one client at
 * a time and drops output while none is connected, so the agent holds this connection for
 * the VM's life and fans it out: {@link subscribe} for live bytes, {@link history} for the
 * scrollback, {@link openStream} for a duplex stream (history first) that a WebSocket relay
 * can pipe to a browser.
 */
export class SerialConsole extends EventEmitter<SerialConsoleEvents> {
  private readonly ring: ByteRing;
  private isClosed = false;

  private constructor(
    readonly socketPath: string,
    private readonly socket: Socket,
    scrollbackBytes: number,
    earlierOutput: Buffer | undefined,
  ) {
    super();
    this.ring = new ByteRing(scrollbackBytes);
    if (earlierOutput && earlierOutput.length > 0) this.ring.append(earlierOutput);
    socket.on("data", (chunk: Buffer) => {
      this.ring.append(chunk);
      this.emit("data", chunk);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      this.isClosed = true;
      this.emit("close");
    });
  }

  /** Connects to a chardev socket (`-chardev socket,server=on,wait=off`). */
  static connect(socketPath: string, options: SerialConsoleOptions = {}): Promise<SerialConsole> {
    const scrollback = options.scrollbackBytes ?? 256 * 1024;
    const timeoutMs = options.connectTimeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const socket = createConnection({ path: socketPath });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`serial console ${socketPath}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new SerialConsole(socketPath, socket, scrollback, options.earlierOutput));
      });
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Offset after the last byte received so far; pass it to {@link waitFor} as `since`. */
  get offset(): number {
    return this.ring.end;
  }

  /** The scrollback from `since` (default: all that is kept). */
  history(since = 0): Buffer {
    return this.ring.since(since);
  }

  /** Sends keystrokes to the guest. */
  write(data: string | Buffer): void {
    if (!this.isClosed) this.socket.write(data);
  }

  /** Calls `listener` with every new chunk; returns the unsubscribe function. */
  subscribe(listener: (chunk: Buffer) => void): () => void {
    this.on("data", listener);
    return () => this.off("data", listener);
  }

  /**
   * A duplex stream for one viewer: it first yields the scrollback, then live output; what is
   * written to it goes to the guest. Destroying it unsubscribes and leaves the console open.
   */
  openStream(): Duplex {
    const onClose = (): void => {
      stream.push(null);
    };
    const stream = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _encoding, callback) => {
        this.write(chunk);
        callback();
      },
      destroy: (err, callback) => {
        unsubscribe();
        this.off("close", onClose);
        callback(err);
      },
    });
    stream.push(this.history());
    const unsubscribe = this.subscribe((chunk) => stream.push(chunk));
    if (this.isClosed) stream.push(null);
    else this.once("close", onClose);
    return stream;
  }

  /**
   * Resolves when the output from offset `since` on matches `pattern` (as UTF-8 text).
   * Rejects after `timeoutMs`, or when the console closes first.
   */
  waitFor(pattern: RegExp, options: { timeoutMs: number; since?: number }): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      let text = this.history(options.since ?? 0).toString("utf8");
      const cleanup = (): void => {
        clearTimeout(timer);
        unsubscribe();
        this.off("close", onClose);
      };
      const check = (): boolean => {
        const match = pattern.exec(text);
        if (!match) return false;
        cleanup();
        resolve(match);
        return true;
      };
      const onClose = (): void => {
        cleanup();
        reject(new Error(`serial console ${this.socketPath} closed before ${String(pattern)} appeared`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `${String(pattern)} did not appear on ${this.socketPath} within ${options.timeoutMs} ms; last output: ${JSON.stringify(text.slice(-300))}`,
          ),
        );
      }, options.timeoutMs);
      const unsubscribe = this.subscribe((chunk) => {
        text += chunk.toString("utf8");
        check();
      });
      this.on("close", onClose);
      if (!check() && this.isClosed) onClose();
    });
  }

  /** Closes the connection; the VM keeps running. */
  close(): void {
    this.socket.destroy();
  }
}
