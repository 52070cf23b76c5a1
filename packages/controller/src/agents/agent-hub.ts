import { randomUUID, createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import type { AgentMessage, ControllerMessage } from "@layerboom/core";
import { AGENT_PROTOCOL_VERSION, ConflictError } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import type { WebSocket } from "ws";
import type { EnergyMetrics } from "../energy/energy-metrics.js";
import { ingestEnergySamples } from "../energy/ingest.js";
import { closeReason, decodeAgentFrame } from "./agent-messages.js";
import {
  desiredServersForHost,
  markSilentHostsDown,
  recordHeartbeat,
  recordHello,
  recordObservations,
} from "./host-registry.js";

/** Options for {@link AgentHub}. */
export interface AgentHubOptions {
  database: Database;
  logger: FastifyBaseLogger;
  /** How often agents send a heartbeat. Default 5 s. */
  heartbeatIntervalMs?: number;
  /** Silence after which a host is marked down. Default 3 heartbeats. */
  downAfterMs?: number;
  /**
   * How often the desired set of each connected host is re-read and pushed when it changed.
   * Covers changes written by another controller replica. Default 2 s.
   */
  resyncIntervalMs?: number;
  /** Prometheus series fed by energy ingest. */
  energyMetrics?: EnergyMetrics;
}

/** A console stream between a user's WebSocket and an agent, keyed by stream id. */
export interface ConsoleStream extends EventEmitter<{ data: [Buffer]; closed: [string] }> {
  readonly id: string;
  write(data: Buffer): void;
  close(): void;
}

interface AgentConnection {
  hostId: string;
  socket: WebSocket;
  /** Fingerprint of the last desired set sent, so unchanged sets are not resent. */
  lastDesired?: string;
  pushing?: Promise<void>;
  pushAgain: boolean;
  streams: Map<string, ConsoleStreamImpl>;
}

class ConsoleStreamImpl extends EventEmitter<{ data: [Buffer]; closed: [string] }> implements ConsoleStream {
  private done = false;
  constructor(
    readonly id: string,
    private readonly connection: AgentConnection,
  ) {
    super();
  }
  write(data: Buffer): void {
    if (this.done) return;
    send(this.connection.socket, {
      type: "console.input",
      stream_id: this.id,
      data: data.toString("base64"),
    });
  }
  close(): void {
    if (this.done) return;
    send(this.connection.socket, { type: "console.close", stream_id: this.id });
    this.finish("closed by the viewer");
  }
  finish(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.connection.streams.delete(this.id);
    this.emit("closed", reason);
  }
}

function send(socket: WebSocket, message: ControllerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/**
 * The controller's end of the agent channel: one WebSocket per connected host. It pushes
 * each host's full desired set when the agent connects and whenever it changes, applies the
 * agent's observations, tracks heartbeats, and relays serial consoles.
 */
export class AgentHub {
  private readonly connections = new Map<string, AgentConnection>();
  /** How often agents send a heartbeat; the job runner expires silent hosts at this pace (scheduled-work.ts). */
  readonly heartbeatIntervalMs: number;
  private readonly downAfterMs: number;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: AgentHubOptions) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 5_000;
    this.downAfterMs = options.downAfterMs ?? 3 * this.heartbeatIntervalMs;
    const resync = options.resyncIntervalMs ?? 2_000;
    this.timers.push(
      setInterval(() => {
        for (const hostId of this.connections.keys()) this.hostChanged(hostId);
      }, resync).unref(),
    );
  }

  /** Whether this controller holds a live channel to the host. */
  isConnected(hostId: string): boolean {
    return this.connections.has(hostId);
  }

  /** Wakes a host's agent: its desired set is re-read and pushed if it changed. */
  hostChanged = (hostId: string): void => {
    const connection = this.connections.get(hostId);
    if (!connection) return;
    if (connection.pushing) {
      connection.pushAgain = true;
      return;
    }
    connection.pushing = this.pushDesired(connection).finally(() => {
      connection.pushing = undefined;
      if (connection.pushAgain) {
        connection.pushAgain = false;
        this.hostChanged(hostId);
      }
    });
  };

  /** Serves one agent's WebSocket, already authenticated as `hostId`. */
  accept(hostId: string, socket: WebSocket): void {
    const log = this.options.logger.child({ hostId });
    const previous = this.connections.get(hostId);
    if (previous) {
      log.warn("a second connection for this host replaces the first");
      previous.socket.close(4409, "replaced by a newer connection");
    }
    const connection: AgentConnection = { hostId, socket, pushAgain: false, streams: new Map() };
    let helloed = false;
    // Set when the channel is being closed for a protocol error: later frames are not applied.
    let refused = false;
    // Messages are applied one at a time, in the order the agent sent them.
    let queue = Promise.resolve();
    socket.on("message", (raw, isBinary) => {
      queue = queue
        .then(async () => {
          if (refused) return;
          const decoded = decodeAgentFrame(raw, isBinary);
          if (!decoded.ok) {
            // Nothing of it is applied; the agent logs the close reason and redials.
            refused = true;
            log.warn(
              { refused: decoded.error },
              `refused a malformed message from the agent: ${decoded.error}`,
            );
            socket.close(4400, closeReason(`malformed message: ${decoded.error}`));
            return;
          }
          const message = decoded.message;
          if (!helloed && message.type !== "hello") {
            refused = true;
            socket.close(4400, "hello first");
            return;
          }
          await this.onMessage(connection, message, log);
          if (message.type === "hello") {
            helloed = true;
            this.connections.set(hostId, connection);
            send(socket, {
              type: "welcome",
              host_id: hostId,
              heartbeat_interval_ms: this.heartbeatIntervalMs,
            });
            this.hostChanged(hostId);
          }
        })
        .catch((err: unknown) => {
          log.error({ err }, "agent message failed");
          socket.close(4500, "controller error");
        });
    });
    socket.on("close", () => {
      if (this.connections.get(hostId) === connection) this.connections.delete(hostId);
      for (const stream of connection.streams.values()) stream.finish("the host's agent disconnected");
      log.info("agent disconnected");
    });
    socket.on("error", (err) => log.warn({ err }, "agent socket error"));
  }

  private async onMessage(
    connection: AgentConnection,
    message: AgentMessage,
    log: FastifyBaseLogger,
  ): Promise<void> {
    const { database } = this.options;
    switch (message.type) {
      case "hello":
        if (message.host.protocol_version !== AGENT_PROTOCOL_VERSION) {
          connection.socket.close(4426, `protocol ${AGENT_PROTOCOL_VERSION} required`);
          return;
        }
        await recordHello(database, connection.hostId, message.host);
        log.info({ host: message.host }, "agent connected");
        return;
      case "heartbeat":
        await recordHeartbeat(database, connection.hostId);
        return;
      case "observed":
        await recordObservations(database, connection.hostId, message.servers, message.orphans);
        // A confirmed delete leaves the desired set; tell the agent so it stops asking.
        if (message.servers.some((s) => s.state === "deleted")) this.hostChanged(connection.hostId);
        return;
      case "console.data":
        connection.streams.get(message.stream_id)?.emit("data", Buffer.from(message.data, "base64"));
        return;
      case "console.closed":
        connection.streams.get(message.stream_id)?.finish(message.reason ?? "closed by the agent");
        return;
      case "energy": {
        const result = await ingestEnergySamples(
          database,
          connection.hostId,
          message.boot_id,
          message.dropped,
          message.samples,
        );
        if (result.refused.length > 0) log.warn({ refused: result.refused }, "energy samples refused");
        this.options.energyMetrics?.record(connection.hostId, result);
        send(connection.socket, { type: "energy.ack", boot_id: message.boot_id, seq: result.ackSeq });
        return;
      }
    }
  }

  private async pushDesired(connection: AgentConnection): Promise<void> {
    try {
      const host = await this.options.database.db
        .selectFrom("hosts")
        .select("state")
        .where("id", "=", connection.hostId)
        .executeTakeFirst();
      if (!host || host.state === "removed") {
        connection.socket.close(4401, "this host was removed");
        return;
      }
      const servers = await desiredServersForHost(this.options.database, connection.hostId);
      const fingerprint = createHash("sha256").update(JSON.stringify(servers)).digest("hex");
      if (fingerprint === connection.lastDesired) return;
      connection.lastDesired = fingerprint;
      send(connection.socket, { type: "desired", servers });
    } catch (err) {
      this.options.logger.error({ err, hostId: connection.hostId }, "cannot read a host's desired set");
    }
  }

  /** Opens the serial console of a server on a connected host. */
  openConsole(hostId: string, serverId: string): ConsoleStream {
    const connection = this.connections.get(hostId);
    if (!connection) {
      throw new ConflictError(
        `The host of server ${serverId} is not connected to this controller; try again shortly.`,
        {
          host_id: hostId,
        },
      );
    }
    const stream = new ConsoleStreamImpl(randomUUID(), connection);
    connection.streams.set(stream.id, stream);
    send(connection.socket, { type: "console.open", stream_id: stream.id, server_id: serverId });
    return stream;
  }

  /** Marks down the hosts whose agent missed its heartbeats (a recurring job, scheduled-work.ts). */
  async sweepSilentHosts(): Promise<void> {
    try {
      const down = await markSilentHostsDown(this.options.database, this.downAfterMs);
      if (down.length > 0)
        this.options.logger.warn({ hosts: down }, "hosts marked down after missed heartbeats");
    } catch (err) {
      this.options.logger.error({ err }, "heartbeat sweep failed");
    }
  }

  /** Closes every agent channel and stops the timers. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const connection of this.connections.values())
      connection.socket.close(1001, "controller shutting down");
    this.connections.clear();
  }
}
