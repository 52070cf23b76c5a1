import type {
  BackupObservation,
  CaptureObservation,
  DesiredServer,
  ObservedState,
  OrphanReport,
  ServerObservation,
} from "@layerboom/core";
import { isServerTap, tapForServer, vmIdForServer } from "@layerboom/core";
import type { Logger } from "../qemu/logger.js";
import type { Driver, VmObservation } from "../qemu/driver.js";
import { vmSpecHash } from "../qemu/vm-spec.js";
import type { VmSpec } from "../qemu/vm-spec.js";
import { AppliedStateFile } from "./applied-state.js";
import type { BlobFetcher } from "./blob-fetcher.js";
import { BackupSync } from "./backup-sync.js";
import { CaptureSync } from "./capture-sync.js";
import type { UploadCapture } from "./capture-sync.js";
import { OrphanRule } from "./orphan-rule.js";
import { removeUnownedTaps } from "./unowned-taps.js";

const GIB = 1024 ** 3;

/** Options for {@link Reconciler}. */
export interface ReconcilerOptions {
  driver: Driver;
  /** Image files from the controller, by sha256 (a {@link BlobFetcher}). */
  blobs: Pick<BlobFetcher, "cached" | "ensure">;
  /** Records which reboot requests were already applied, across agent restarts. */
  stateFile: string;
  /** Sends observations upstream; returns false when the channel is down. */
  report: (servers: ServerObservation[], orphans?: OrphanReport[]) => void;
  logger: Logger;
  /** How long a VM must have been unowned before the orphan rule destroys it. Default 10 min. */
  orphanGraceMs?: number;
  /** Full passes happen at least this often even without news. Default 15 s. */
  resyncIntervalMs?: number;
  /** How long a guest gets to power off on stop. Default 30 s. */
  gracefulStopMs?: number;
  /** The bridges this host offers (`--bridge`); a server on any other one is refused. */
  bridges?: readonly string[];
  /** The server taps on the host (default: read /sys/class/net); tests narrow it to their own. */
  listTaps?: () => string[];
  /** Sends a capture's copy of a disk to the controller; without it, captures are reported failed. */
  uploadCapture?: UploadCapture;
}

/**
 * Converges the host to the controller's desired set. Level-triggered: every pass takes
 * the whole set and makes each server match it, whatever happened before (an agent killed
 * mid-create, a QEMU that died, a delete half done), using only idempotent driver calls.
 * Passes never overlap; news during a pass schedules exactly one more.
 */
export class Reconciler {
  private desired: DesiredServer[] | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Last observation sent per server, so only changes go upstream between full reports. */
  private sent = new Map<string, string>();

  private readonly applied: AppliedStateFile;
  private readonly backups: BackupSync;
  private readonly captures: CaptureSync;
  private readonly orphans: OrphanRule;

  constructor(private readonly options: ReconcilerOptions) {
    this.applied = new AppliedStateFile(options.stateFile);
    this.backups = new BackupSync(options.driver, options.logger);
    this.orphans = new OrphanRule(options.driver, options.logger, options.orphanGraceMs ?? 10 * 60_000);
    this.captures = new CaptureSync(
      options.driver,
      options.uploadCapture ??
        (() => Promise.reject(new Error("this agent cannot upload captures to the controller"))),
      options.logger,
    );
    options.driver.on("vm", (event) => {
      if (event.type === "exited" || event.type === "panicked" || event.type === "shutdown") this.trigger();
    });
  }

  /** Starts periodic passes (the first runs when the first desired set arrives). */
  start(): void {
    const every = this.options.resyncIntervalMs ?? 15_000;
    this.timer = setInterval(() => this.trigger(), every);
  }

  /** A new desired set from the controller: converge to it now. */
  setDesired(servers: DesiredServer[]): void {
    this.desired = servers;
    this.trigger();
  }

  /** Forget what was sent, so the next pass reports every server (after a reconnect). */
  resendAll(): void {
    this.sent.clear();
    this.trigger();
  }

  /** Requests a pass (coalesced with one already running). */
  trigger(): void {
    void this.schedule();
  }

  /** Requests a pass; resolves when the pass running now (if any) or the new one is done. */
  private schedule(): Promise<void> {
    if (this.stopped || this.desired === undefined) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    // Started a tick later, so a driver event emitted synchronously inside the pass finds it running.
    this.running = Promise.resolve()
      .then(() => this.pass())
      .catch((err: unknown) => this.options.logger.error({ err }, "reconcile pass failed"))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
    return this.running;
  }

  /**
   * Resolves once no pass runs and none is queued: the host has converged to the latest desired
   * set, as far as one pass can take it.
   */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Waits for the current pass; no new ones start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    const desired = this.desired ?? [];
    await this.applied.load();
    const results = await Promise.all(desired.map((server) => this.converge(server)));
    const orphans = await this.orphans.apply(new Set(desired.map((s) => vmIdForServer(s.server_id))));
    await removeUnownedTaps(desired, {
      driver: this.options.driver,
      logger: this.options.logger,
      bridges: this.options.bridges ?? [],
      ...(this.options.listTaps ? { listTaps: this.options.listTaps } : {}),
    });
    // Marked sent only now: a pass that fails above must not count its observations as reported.
    const changed = results.filter((o) => {
      const key = JSON.stringify(o);
      if (this.sent.get(o.server_id) === key) return false;
      this.sent.set(o.server_id, key);
      return true;
    });
    if (changed.length > 0 || orphans.changed) this.options.report(changed, orphans.reports);
    for (const id of [...this.sent.keys()])
      if (!desired.some((s) => s.server_id === id)) this.sent.delete(id);
  }

  private observe(
    server: DesiredServer,
    state: ObservedState,
    vm?: VmObservation,
    error?: string,
    backups?: BackupObservation[],
    captures?: CaptureObservation[],
  ): ServerObservation {
    return {
      server_id: server.server_id,
      state,
      generation: server.generation,
      ...(vm?.sshHostPort !== undefined && state !== "deleted" && !server.network
        ? { ssh_host_port: vm.sshHostPort }
        : {}),
      ...(vm?.accel ? { accelerator: vm.accel } : {}),
      ...(error ? { error } : {}),
      ...(backups ? { backups } : {}),
      ...(captures && captures.length > 0 ? { captures } : {}),
    };
  }

  /** Tells the controller about a transition before a slow step, so users see it happen. */
  private announce(server: DesiredServer, state: ObservedState): void {
    const o = this.observe(server, state);
    this.sent.set(server.server_id, JSON.stringify(o));
    this.options.report([o]);
  }

  private async converge(server: DesiredServer): Promise<ServerObservation> {
    const { driver, logger } = this.options;
    const vmId = vmIdForServer(server.server_id);
    try {
      if (server.desired_state === "deleted") {
        this.announce(server, "deleting");
        // Removes the server's backups too.
        await driver.destroy(vmId);
        this.applied.forget(server.server_id);
        this.backups.forget(server.server_id);
        this.captures.forget(server.server_id);
        await this.applied.save();
        return this.observe(server, "deleted");
      }
      let current = await driver.inspect(vmId);
      if (this.restorePending(server)) {
        current = await this.restore(server, vmId, current.state !== "stopped");
      }
      if (server.desired_state === "stopped") {
        if (current.state !== "stopped") {
          this.announce(server, "stopping");
          await driver.ensureStopped(vmId, { gracefulTimeoutMs: this.options.gracefulStopMs ?? 30_000 });
        }
        const backups = await this.backups.sync(server, vmId);
        const captures = await this.captures.sync(server, vmId);
        return this.observe(server, "stopped", await driver.inspect(vmId), undefined, backups, captures);
      }
      if (current.state === "crashed") {
        // A panicked guest (pvpanic) or a QEMU internal error: power-cycle it, as a host's watchdog would.
        logger.warn(
          { serverId: server.server_id, qmpStatus: current.qmpStatus },
          "guest crashed; restarting it",
        );
        await driver.ensureStopped(vmId, { gracefulTimeoutMs: 0 });
      }
      const spec = await this.specOf(server, vmId, current.state !== "running");
      if (
        current.state !== "stopped" &&
        current.runningSpecHash !== undefined &&
        current.runningSpecHash !== vmSpecHash(spec)
      ) {
        logger.info({ serverId: server.server_id }, "spec changed; restarting the VM to apply it");
        await driver.ensureStopped(vmId, { gracefulTimeoutMs: this.options.gracefulStopMs ?? 30_000 });
      }
      const vm = await driver.ensureRunning(spec);
      const applied = this.applied.state.reboots[server.server_id];
      if (applied === undefined || (current.state === "stopped" && applied < server.reboot_seq)) {
        // First sight, or a fresh boot: that boot satisfies every reboot asked for so far.
        this.applied.state.reboots[server.server_id] = server.reboot_seq;
        await this.applied.save();
      } else if (applied < server.reboot_seq) {
        this.announce(server, "rebooting");
        await driver.reboot(vmId);
        this.applied.state.reboots[server.server_id] = server.reboot_seq;
        await this.applied.save();
      }
      const backups = await this.backups.sync(server, vmId);
      const captures = await this.captures.sync(server, vmId);
      return this.observe(
        server,
        vm.state === "running" ? "running" : "error",
        vm,
        vm.state === "running" ? undefined : `VM is ${vm.state}`,
        backups,
        captures,
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      logger.error({ serverId: server.server_id, err }, "cannot converge server");
      return this.observe(server, "error", undefined, message.slice(0, 2000));
    }
  }

  /** A restore request this host has not applied yet. */
  private restorePending(server: DesiredServer): boolean {
    const restore = server.restore;
    return restore !== undefined && restore.seq > (this.applied.state.restores[server.server_id] ?? 0);
  }

  /**
   * Applies the server's restore request: stops the VM (its disk is about to be replaced, so
   * there is nothing to shut down gracefully for), replaces the disk with a copy of the backup,
   * and remembers the seq on disk, so a restarted agent does not restore twice. The caller
   * starts the VM again when it should run; that fresh boot also satisfies pending reboots.
   * A crash before the seq is saved repeats the restore, which gives the same disk.
   */
  private async restore(server: DesiredServer, vmId: string, wasRunning: boolean): Promise<VmObservation> {
    const { driver, logger } = this.options;
    const restore = server.restore!;
    if (!server.backups.includes(restore.backup_id)) {
      // The backup was deleted (or failed) after the request: nothing to restore from, ever.
      logger.warn(
        { serverId: server.server_id, backupId: restore.backup_id },
        "restore skipped: backup gone",
      );
    } else {
      if (wasRunning) this.announce(server, "rebooting");
      await driver.ensureStopped(vmId, { gracefulTimeoutMs: 0 });
      const disk = await this.options.blobs.ensure(server.image.disk, server.image.disk.format);
      await driver.restoreBackup(vmId, restore.backup_id, {
        path: disk.path,
        format: server.image.disk.format,
      });
      this.applied.state.reboots[server.server_id] = server.reboot_seq;
      logger.info({ serverId: server.server_id, backupId: restore.backup_id, seq: restore.seq }, "restored");
    }
    this.applied.state.restores[server.server_id] = restore.seq;
    await this.applied.save();
    return driver.inspect(vmId);
  }

  private async specOf(server: DesiredServer, vmId: string, announce: boolean): Promise<VmSpec> {
    const { image, network } = server;
    if (network) this.checkNetwork(server.server_id, network);
    const missing = (await this.options.blobs.cached(image.disk.sha256)) === undefined;
    if (announce || missing) this.announce(server, "provisioning");
    const disk = await this.options.blobs.ensure(image.disk, image.disk.format);
    const kernel = image.kernel ? await this.options.blobs.ensure(image.kernel, "raw") : undefined;
    const initrd = image.initrd ? await this.options.blobs.ensure(image.initrd, "raw") : undefined;
    return {
      serverId: vmId,
      vcpus: server.vcpus,
      memoryMiB: server.memory_mib,
      disk: { baseImage: disk.path, baseFormat: image.disk.format, sizeBytes: server.disk_gib * GIB },
      ...(kernel
        ? {
            kernelBoot: {
              kernel: kernel.path,
              ...(initrd ? { initrd: initrd.path } : {}),
              ...(image.kernel_append !== undefined ? { append: image.kernel_append } : {}),
            },
          }
        : {}),
      seed: {
        instanceId: server.server_id,
        hostname: server.hostname,
        sshAuthorizedKeys: server.ssh_authorized_keys,
        ...(server.user_data_base64 !== undefined ? { userDataBase64: server.user_data_base64 } : {}),
        ...(network
          ? {
              network: {
                ipv4: network.ipv4,
                gateway4: network.gateway4,
                nameservers: network.nameservers,
              },
            }
          : {}),
      },
      ...(network ? { network: { bridge: network.bridge, tap: network.tap } } : {}),
    };
  }

  /**
   * Refuses a network this host cannot or must not make: a bridge it does not offer, or a
   * tap name the sweep would not recognise as a server's (it would outlive the server).
   */
  private checkNetwork(serverId: string, network: NonNullable<DesiredServer["network"]>): void {
    const bridges = this.options.bridges ?? [];
    if (!bridges.includes(network.bridge)) {
      throw new Error(
        `bridge ${network.bridge} is not offered by this host (agent --bridge: ${bridges.join(", ") || "none"})`,
      );
    }
    if (!isServerTap(network.tap) || network.tap !== tapForServer(serverId))
      throw new Error(`tap name ${network.tap} is not this server's (${tapForServer(serverId)})`);
  }
}
