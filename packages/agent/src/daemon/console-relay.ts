import type { Duplex } from "node:stream";
import type { AgentMessage } from "@layerboom/core";
import { vmIdForServer } from "@layerboom/core";
import type { Logger } from "../qemu/logger.js";
import type { Driver } from "../qemu/driver.js";

/**
 * Serial console streams requested by the controller: scrollback first, then live output,
 * and keystrokes back to the guest. Each stream is one viewer; many may watch one VM.
 */
export class ConsoleRelay {
  private readonly streams = new Map<string, Duplex>();

  constructor(
    private readonly driver: Driver,
    private readonly send: (message: AgentMessage) => boolean,
    private readonly logger: Logger,
  ) {}

  async open(streamId: string, serverId: string): Promise<void> {
    try {
      const console = await this.driver.console(vmIdForServer(serverId));
      const stream = console.openStream();
      this.streams.set(streamId, stream);
      stream.on("data", (chunk: Buffer) => {
        if (!this.send({ type: "console.data", stream_id: streamId, data: chunk.toString("base64") }))
          stream.destroy();
      });
      const ended = (): void => {
        if (this.streams.delete(streamId))
          this.send({ type: "console.closed", stream_id: streamId, reason: "the VM stopped" });
      };
      stream.on("end", ended);
      stream.on("close", ended);
      stream.on("error", () => undefined);
    } catch (err) {
      this.logger.warn({ serverId, err }, "cannot open a console");
      this.send({
        type: "console.closed",
        stream_id: streamId,
        reason: err instanceof Error ? err.message.slice(0, 400) : "console unavailable",
      });
    }
  }

  input(streamId: string, base64: string): void {
    this.streams.get(streamId)?.write(Buffer.from(base64, "base64"));
  }

  close(streamId: string): void {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    this.streams.delete(streamId);
    stream.destroy();
  }

  /** Ends every stream (the channel dropped). */
  closeAll(): void {
    for (const id of [...this.streams.keys()]) this.close(id);
  }
}
