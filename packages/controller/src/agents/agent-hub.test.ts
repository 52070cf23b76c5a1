import { EventEmitter } from "node:events";
import type { Database } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { AgentHub } from "./agent-hub.js";
import { closeReason, decodeAgentFrame } from "./agent-messages.js";

/** A socket that records what the hub does to it. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: unknown[] = [];
  closed: { code: number; reason: string } | undefined;
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
    this.readyState = 3;
  }
  frame(message: unknown): void {
    this.emit("message", Buffer.from(typeof message === "string" ? message : JSON.stringify(message)), false);
  }
}

function recordingLogger() {
  const lines: { level: string; obj: unknown; msg: string | undefined }[] = [];
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  const logger = {
    warn: at("warn"),
    error: at("error"),
    info: at("info"),
    debug: at("debug"),
    child: () => logger,
  };
  return { lines, logger: logger as unknown as FastifyBaseLogger };
}

/** Any use of the database fails the test: a refused frame must not be acted on. */
const untouchableDatabase = new Proxy({} as Database, {
  get: (_target, key) => {
    throw new Error(`the hub touched the database (${String(key)})`);
  },
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("the agent hub refuses malformed frames", () => {
  let hub: AgentHub | undefined;
  afterEach(() => hub?.close());

  function connect() {
    const { lines, logger } = recordingLogger();
    hub = new AgentHub({ database: untouchableDatabase, logger });
    const socket = new FakeSocket();
    hub.accept("hst_1", socket as unknown as WebSocket);
    return { socket, lines };
  }

  it("closes the channel naming the field, logs it, and applies nothing", async () => {
    const { socket, lines } = connect();
    socket.frame({ type: "hello", host: { hostname: "hv1", agent_version: "1", protocol_version: 1 } });
    // Sent after the bad frame: must not be applied either.
    socket.frame({ type: "heartbeat" });
    await settle();
    expect(socket.closed?.code).toBe(4400);
    expect(socket.closed?.reason).toMatch(/^malformed message: hello message: host\.accelerator: /);
    const warning = lines.find((l) => l.level === "warn");
    expect(warning?.obj).toEqual({ refused: expect.stringContaining("host.accelerator") });
    expect(warning?.msg).toContain(
      "refused a malformed message from the agent: hello message: host.accelerator",
    );
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
    expect(socket.sent).toEqual([]);
  });

  it("refuses an unknown message type and a frame that is not JSON", async () => {
    const unknown = connect();
    unknown.socket.frame({ type: "format-disks" });
    const garbage = connect();
    garbage.socket.frame("{oops");
    await settle();
    expect(unknown.socket.closed?.reason).toMatch(/unknown message type "format-disks"/);
    expect(garbage.socket.closed?.reason).toMatch(/^malformed message: not JSON/);
  });

  it("refuses a binary frame", async () => {
    const { socket } = connect();
    socket.emit("message", Buffer.from("{}"), true);
    await settle();
    expect(socket.closed).toEqual({ code: 4400, reason: expect.stringContaining("binary frame") });
  });

  it("still asks for hello first from a well-formed agent", async () => {
    const { socket } = connect();
    socket.frame({ type: "heartbeat" });
    await settle();
    expect(socket.closed).toEqual({ code: 4400, reason: "hello first" });
  });
});

describe("agent frames", () => {
  it("decode from any of the shapes ws hands over", () => {
    const text = JSON.stringify({ type: "heartbeat" });
    expect(decodeAgentFrame(Buffer.from(text), false).ok).toBe(true);
    expect(decodeAgentFrame([Buffer.from(text.slice(0, 5)), Buffer.from(text.slice(5))], false).ok).toBe(
      true,
    );
    expect(decodeAgentFrame(new TextEncoder().encode(text).buffer, false).ok).toBe(true);
  });

  it("cut a close reason to the 123 bytes a close frame allows, never inside a character", () => {
    expect(closeReason("short")).toBe("short");
    expect(Buffer.byteLength(closeReason("x".repeat(500)))).toBe(123);
    const cut = closeReason("é".repeat(100));
    expect(Buffer.byteLength(cut)).toBe(122);
    expect(cut).toBe("é".repeat(61));
  });
});
