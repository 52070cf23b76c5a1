import { EventEmitter } from "node:events";
import { decodeControllerMessage } from "@layerboom/core/schemas";
import type { AgentMessage, ControllerMessage, HostFacts } from "@layerboom/core";
import WebSocket from "ws";
import type { Logger } from "../qemu/logger.js";

/** Options for {@link ControllerLink}. */
export interface ControllerLinkOptions {
  /** The controller's base URL, e.g. `http://127.0.0.1:8080`. */
  controllerUrl: string;
  /** The host credential from the join exchange. */
  credential: string;
  /** Called on every (re)connect: what the agent says about its host. */
  hostFacts: () => Promise<HostFacts>;
  logger: Logger;
  /** First reconnect delay; doubles up to {@link maxBackoffMs}, with jitter. Default 500 ms. */
  minBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
}

interface ControllerLinkEvents {
  /** A live, welcomed channel. */
  connected: [];
  disconnected: [string];
  message: [ControllerMessage];
  /** The controller refused the credential (the host was removed): stop retrying. */
  rejected: [string];
}

/** Closing codes after which retrying is pointless. */
const FATAL_CLOSE = new Map([
  [4401, "the controller refused the host credential"],
  [4426, "the controller speaks another protocol version"],
]);

/**
 * The agent's end of the channel: dials out to the controller (hosts never need to be
 * reachable from outside), says hello, sends heartbeats, and reconnects with exponential
 * backoff and jitter. Messages sent while disconnected are dropped; the reconciler resends
 * its full observation on every connect, so nothing depends on them.
 */
export class ControllerLink extends EventEmitter<ControllerLinkEvents> {
  private socket: WebSocket | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private welcomed = false;

  constructor(private readonly options: ControllerLinkOptions) {
    super();
  }

  get connected(): boolean {
    return this.welcomed && this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  send(message: AgentMessage): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes the channel and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.close(1000, "agent stopping");
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 2_000).unref();
    });
  }

  /**
   * Checks a frame against the protocol's schemas in core. A malformed one is logged, naming
   * what was wrong, and ignored: the agent acts on no part of it and keeps converging to the
   * last desired set it accepted.
   */
  private decode(raw: WebSocket.RawData, isBinary: boolean): ControllerMessage | undefined {
    if (isBinary) {
      this.options.logger.warn(
        {},
        "ignored a binary frame from the controller; messages are JSON text frames",
      );
      return undefined;
    }
    const text = Array.isArray(raw)
      ? Buffer.concat(raw).toString()
      : Buffer.isBuffer(raw)
        ? raw.toString()
        : Buffer.from(raw).toString();
    const decoded = decodeControllerMessage(text);
    if (decoded.ok) return decoded.message;
    this.options.logger.warn(
      { refused: decoded.error },
      `ignored a malformed message from the controller: ${decoded.error}`,
    );
    return undefined;
  }

  private dial(): void {
    const url = new URL("/agent/v1", this.options.controllerUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.options.credential}` },
      handshakeTimeout: 10_000,
      maxPayload: 64 * 1024 * 1024,
    });
    this.socket = socket;
    this.welcomed = false;
    let reason = "connection closed";
    socket.on("unexpected-response", (_req, res) => {
      reason = `controller answered HTTP ${res.statusCode}`;
      if (res.statusCode === 401) {
        this.stopped = true;
        this.emit("rejected", "the controller refused the host credential (was the host removed?)");
      }
      socket.terminate();
    });
    socket.on("open", () => {
      void this.options.hostFacts().then(
        (host) => this.send({ type: "hello", host }),
        (err: unknown) => {
          this.options.logger.error({ err }, "cannot gather host facts");
          socket.close(1011, "host facts failed");
        },
      );
    });
    socket.on("message", (raw, isBinary) => {
      const message = this.decode(raw, isBinary);
      if (!message) return;
      if (message.type === "welcome") {
        this.welcomed = true;
        this.failures = 0;
        clearInterval(this.heartbeat);
        this.heartbeat = setInterval(() => this.send({ type: "heartbeat" }), message.heartbeat_interval_ms);
        this.options.logger.info({ hostId: message.host_id }, "connected to the controller");
        this.emit("connected");
        return;
      }
      this.emit("message", message);
    });
    socket.on("error", (err) => {
      reason = err.message;
    });
    socket.on("close", (code, buf) => {
      clearInterval(this.heartbeat);
      const text = buf.toString() || reason;
      const wasWelcomed = this.welcomed;
      this.welcomed = false;
      if (wasWelcomed) this.emit("disconnected", text);
      const fatal = FATAL_CLOSE.get(code);
      if (fatal) {
        this.stopped = true;
        this.emit("rejected", `${fatal}: ${text}`);
      }
      if (this.stopped) return;
      const min = this.options.minBackoffMs ?? 500;
      const max = this.options.maxBackoffMs ?? 30_000;
      const delay = Math.min(max, min * 2 ** this.failures) * (0.5 + Math.random() / 2);
      this.failures++;
      this.options.logger.warn(
        { code, reason: text, retryInMs: Math.round(delay) },
        "controller channel closed; reconnecting",
      );
      this.retry = setTimeout(() => this.dial(), delay);
    });
  }
}
