import { connectWhenListening } from "./connect-when-listening.js";
import type { VmEvent, VmEventType } from "./driver.js";
import type { Logger } from "./logger.js";
import { processAlive } from "./qemu-process.js";
import { QmpClient, type QmpClientOptions, type QmpEvent } from "./qmp-client.js";
import { readTail } from "./runtime-files.js";
import { SerialConsole } from "./serial-console.js";
import type { VmPaths } from "./vm-paths.js";

/** The agent's connections to one running QEMU: its QMP client and serial console. */
export interface VmHandle {
  serverId: string;
  pid: number;
  paths: VmPaths;
  qmp: QmpClient;
  console: SerialConsole | undefined;
  /** Set once the exit has been handled (or we closed it), so an exit is reported once. */
  gone: boolean;
}

/** Options for {@link VmConnections}. */
export interface VmConnectionsOptions {
  paths: (serverId: string) => VmPaths;
  /** How long QEMU may take to listen on its sockets. */
  startTimeoutMs: number;
  qmp: QmpClientOptions;
  scrollbackBytes: number;
  logger: Logger;
  /** A QMP event of a VM, typed. */
  onEvent: (event: VmEvent) => void;
  /** The QMP socket of a VM was lost (not closed by us): QEMU probably went away. */
  onLost: (handle: VmHandle) => void;
}

const QMP_EVENTS: Record<string, VmEventType> = {
  SHUTDOWN: "shutdown",
  STOP: "paused",
  RESUME: "resumed",
  RESET: "reset",
  POWERDOWN: "powerdown",
  GUEST_PANICKED: "panicked",
};

/**
 * Holds one QMP connection and one serial console per running QEMU. QEMU serves a single
 * QMP connection per monitor, so every caller shares the one handle; concurrent attaches to
 * one VM share one connect.
 */
export class VmConnections {
  private readonly handles = new Map<string, VmHandle>();
  private readonly attaching = new Map<string, Promise<VmHandle>>();

  constructor(private readonly options: VmConnectionsOptions) {}

  /** The handle of QEMU `pid` of a VM, connecting QMP and the console if not connected yet. */
  attach(serverId: string, pid: number): Promise<VmHandle> {
    const existing = this.handles.get(serverId);
    if (existing && existing.pid === pid && !existing.qmp.closed) return Promise.resolve(existing);
    const pending = this.attaching.get(serverId);
    if (pending) return pending;
    const attaching = this.connect(serverId, pid).finally(() => this.attaching.delete(serverId));
    this.attaching.set(serverId, attaching);
    return attaching;
  }

  /** The current handle of a VM, if attached. */
  get(serverId: string): VmHandle | undefined {
    return this.handles.get(serverId);
  }

  /** The VM's serial console, connected again if it was lost. */
  async console(serverId: string, pid: number): Promise<SerialConsole> {
    const handle = await this.attach(serverId, pid);
    if (!handle.console || handle.console.closed) {
      handle.console = await SerialConsole.connect(handle.paths.serialSocket, {
        scrollbackBytes: this.options.scrollbackBytes,
        earlierOutput: await readTail(handle.paths.serialLog, this.options.scrollbackBytes),
      });
    }
    return handle.console;
  }

  /**
   * Drops the handle of QEMU `pid`, which exited. False when its exit was already handled, so
   * the caller reports each exit once; true also when there was no handle to drop.
   */
  forgetExited(serverId: string, pid: number): boolean {
    const handle = this.handles.get(serverId);
    if (!handle || handle.pid !== pid) return true;
    this.handles.delete(serverId);
    const wasGone = handle.gone;
    handle.gone = true;
    handle.console?.close();
    void handle.qmp.close();
    return !wasGone;
  }

  /** Forgets `handle` if it is still the VM's current one, without closing it. */
  forget(handle: VmHandle): void {
    if (this.handles.get(handle.serverId) === handle) this.handles.delete(handle.serverId);
  }

  /** Closes and drops the handle of QEMU `pid` (one that failed to start); no exit is reported. */
  async detach(serverId: string, pid: number): Promise<void> {
    const handle = this.handles.get(serverId);
    if (handle?.pid !== pid) return;
    this.handles.delete(serverId);
    await closeHandle(handle);
  }

  /** Closes every handle; the VMs keep running. */
  async closeAll(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    for (const handle of handles) await closeHandle(handle);
  }

  private async connect(serverId: string, pid: number): Promise<VmHandle> {
    const paths = this.options.paths(serverId);
    // The socket files exist before QEMU listens on them; wait out that gap while QEMU lives.
    const listening = { timeoutMs: this.options.startTimeoutMs, stillRunning: () => processAlive(pid) };
    // QEMU accepts on its QMP socket before it greets: the greeting comes once machine set-up is
    // done, which on a busy host takes longer than a command may. So the greeting gets the start
    // allowance, not just the connect timeout.
    const greeting = Math.max(this.options.qmp.connectTimeoutMs ?? 0, this.options.startTimeoutMs);
    const qmp = await connectWhenListening(
      paths.qmpSocket,
      () => QmpClient.connect(paths.qmpSocket, { ...this.options.qmp, connectTimeoutMs: greeting }),
      listening,
    );
    let console: SerialConsole | undefined;
    try {
      const earlierOutput = await readTail(paths.serialLog, this.options.scrollbackBytes);
      console = await connectWhenListening(
        paths.serialSocket,
        () =>
          SerialConsole.connect(paths.serialSocket, {
            scrollbackBytes: this.options.scrollbackBytes,
            earlierOutput,
          }),
        listening,
      );
    } catch (err) {
      this.options.logger.warn({ serverId, err }, "serial console unavailable");
    }
    const handle: VmHandle = { serverId, pid, paths, qmp, console, gone: false };
    qmp.on("event", (e: QmpEvent) => {
      const type = QMP_EVENTS[e.event];
      if (type)
        this.options.onEvent({
          serverId,
          type,
          at: new Date(e.timestampMs),
          data: { ...e.data, qmpEvent: e.event },
        });
    });
    qmp.on("close", (error) => {
      // Closed by us (close(), detach) is not an exit; a lost socket means QEMU went away.
      if (error && !handle.gone) this.options.onLost(handle);
    });
    const previous = this.handles.get(serverId);
    if (previous && previous !== handle) await closeHandle(previous);
    this.handles.set(serverId, handle);
    return handle;
  }
}

/** Marks a handle gone (so its closing is not taken for an exit) and closes it. */
async function closeHandle(handle: VmHandle): Promise<void> {
  handle.gone = true;
  handle.console?.close();
  await handle.qmp.close();
}
