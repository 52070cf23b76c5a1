import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type {
  BackupObservation,
  CaptureObservation,
  DesiredServer,
  ObservedState,
  OrphanReport,
  ServerObservation,
} from "@layerboom/core";
import { isServerTap, serverIdForVm, tapForServer, vmIdForServer } from "@layerboom/core";
import { removeStaleTapFilters } from "../network/tap-filter.js";
import { listServerTaps, removeIdleTaps } from "../network/taps.js";
import type { Logger } from "../qemu/logger.js";
import type { Driver, VmObservation } from "../qemu/driver.js";
import { vmSpecHash } from "../qemu/vm-spec.js";
import type { VmSpec } from "../qemu/vm-spec.js";
import type { BlobFetcher } from "./blob-fetcher.js";
import { CaptureSync } from "./capture-sync.js";
import type { UploadCapture } from "./capture-sync.js";

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

interface AppliedState {
  /** reboot_seq applied per server. */
  reboots: Record<string, number>;
  /** restore seq applied per server (absent: none yet). */
  restores: Record<string, number>;
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
  private applied: AppliedState = { reboots: {}, restores: {} };
  /** Backups that failed, by server and backup id: not retried while the controller still wants them. */
  private backupFailures = new Map<string, Map<string, string>>();
  private loaded = false;
  /** The last queued write of the applied state (see saveState). */
  private saving: Promise<void> = Promise.resolve();
  /** Last observation sent per server, so only changes go upstream between full reports. */
  private sent = new Map<string, string>();
  private orphanSince = new Map<string, number>();
  /** Orphans last reported as kept, so an unchanged list is not resent. */
  private reportedOrphans = new Set<string>();

  private readonly captures: CaptureSync;

  constructor(private readonly options: ReconcilerOptions) {
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
    if (!this.loaded) {
      this.applied = await readState(this.options.stateFile);
      this.loaded = true;
    }
    const results = await Promise.all(desired.map((server) => this.converge(server)));
    const orphans = await this.handleOrphans(new Set(desired.map((s) => vmIdForServer(s.server_id))));
    await this.removeUnownedTaps(desired);
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
        delete this.applied.reboots[server.server_id];
        delete this.applied.restores[server.server_id];
        this.backupFailures.delete(server.server_id);
        this.captures.forget(server.server_id);
        await this.saveState();
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
        const backups = await this.syncBackups(server, vmId);
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
      const applied = this.applied.reboots[server.server_id];
      if (applied === undefined || (current.state === "stopped" && applied < server.reboot_seq)) {
        // First sight, or a fresh boot: that boot satisfies every reboot asked for so far.
        this.applied.reboots[server.server_id] = server.reboot_seq;
        await this.saveState();
      } else if (applied < server.reboot_seq) {
        this.announce(server, "rebooting");
        await driver.reboot(vmId);
        this.applied.reboots[server.server_id] = server.reboot_seq;
        await this.saveState();
      }
      const backups = await this.syncBackups(server, vmId);
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
    return restore !== undefined && restore.seq > (this.applied.restores[server.server_id] ?? 0);
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
      this.applied.reboots[server.server_id] = server.reboot_seq;
      logger.info({ serverId: server.server_id, backupId: restore.backup_id, seq: restore.seq }, "restored");
    }
    this.applied.restores[server.server_id] = restore.seq;
    await this.saveState();
    return driver.inspect(vmId);
  }

  /**
   * Makes the server's backup files match the wanted set: deletes what is not wanted (and
   * half-written files), takes each wanted backup it lacks, and reports what it has. A failed
   * backup is reported failed and not retried while it stays wanted (the controller then stops
   * wanting it).
   */
  private async syncBackups(server: DesiredServer, vmId: string): Promise<BackupObservation[]> {
    const { driver, logger } = this.options;
    const wanted = new Set(server.backups);
    const failures = this.backupFailures.get(server.server_id) ?? new Map<string, string>();
    for (const id of [...failures.keys()]) if (!wanted.has(id)) failures.delete(id);
    const have = new Map<string, number>();
    for (const file of await driver.listBackups(vmId)) {
      if (file.complete && wanted.has(file.backupId)) have.set(file.backupId, file.sizeBytes);
      // Unwanted backups go; a half-written one is left by a crash: delete it (and retake it below).
      else await driver.removeBackup(vmId, file.backupId);
    }
    for (const id of [...wanted].sort()) {
      if (have.has(id) || failures.has(id)) continue;
      try {
        have.set(id, (await driver.takeBackup(vmId, id)).sizeBytes);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        logger.error({ serverId: server.server_id, backupId: id, err }, "backup failed");
        failures.set(id, message.slice(0, 2000));
        await driver.removeBackup(vmId, id).catch(() => undefined);
      }
    }
    if (failures.size > 0) this.backupFailures.set(server.server_id, failures);
    else this.backupFailures.delete(server.server_id);
    return [
      ...[...have].map(([id, size]) => ({ backup_id: id, state: "available" as const, size_bytes: size })),
      ...[...failures].map(([id, error]) => ({
        backup_id: id,
        state: "failed" as const,
        size_bytes: 0,
        error,
      })),
    ].sort((a, b) => a.backup_id.localeCompare(b.backup_id));
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

  /**
   * Deletes server taps that no desired server owns, once no QEMU holds them: left by a
   * server deleted while the agent was down for good, by a crash inside a destroy, or by a
   * server that lost its network. Unlike VM folders they need no grace period: an idle tap
   * holds no data, and one still attached to a guest (an orphan VM within its grace) is kept
   * until the orphan rule destroys that VM, which deletes its tap (and its filter).
   */
  private async removeUnownedTaps(desired: DesiredServer[]): Promise<void> {
    const keep = new Set<string>();
    for (const server of desired)
      if (server.network && server.desired_state !== "deleted") keep.add(server.network.tap);
    for (const p of await this.options.driver.processes()) if (p.tap) keep.add(p.tap);
    const candidates = (this.options.listTaps ?? (() => listServerTaps()))();
    try {
      const removed = await removeIdleTaps(candidates, keep);
      if (removed.length > 0) this.options.logger.warn({ taps: removed }, "deleted taps no server owns");
    } catch (err) {
      this.options.logger.error({ err }, "cannot delete an unowned tap; the next pass retries");
    }
    // Filters of taps that are gone (a crash between deleting a tap and its filter). Only on a
    // host that offers bridges: the agent checked nftables at start there.
    if ((this.options.bridges ?? []).length === 0) return;
    try {
      const stale = await removeStaleTapFilters();
      if (stale.length > 0)
        this.options.logger.warn({ taps: stale }, "removed filters of taps that are gone");
    } catch (err) {
      this.options.logger.error({ err }, "cannot remove a stale tap filter; the next pass retries");
    }
  }

  /**
   * The orphan rule (docs/agent-protocol.md): a VM folder on this host that the desired set
   * does not name is reported at once, and destroyed once it has stayed unowned for the
   * grace period, so a controller briefly serving a stale or partial set cannot wipe disks.
   */
  private async handleOrphans(owned: Set<string>): Promise<{ reports: OrphanReport[]; changed: boolean }> {
    const grace = this.options.orphanGraceMs ?? 10 * 60_000;
    const now = Date.now();
    const reports: OrphanReport[] = [];
    const seen = new Set<string>();
    for (const vm of await this.options.driver.list()) {
      if (owned.has(vm.serverId)) continue;
      seen.add(vm.serverId);
      const since = this.orphanSince.get(vm.serverId) ?? now;
      this.orphanSince.set(vm.serverId, since);
      if (now - since >= grace) {
        this.options.logger.warn(
          { vmId: vm.serverId, serverId: serverIdForVm(vm.serverId), pid: vm.pid },
          "destroying an orphan VM under the orphan rule",
        );
        await this.options.driver.destroy(vm.serverId);
        this.orphanSince.delete(vm.serverId);
        reports.push({ vm_id: vm.serverId, ...(vm.pid ? { pid: vm.pid } : {}), action: "destroyed" });
      } else {
        reports.push({ vm_id: vm.serverId, ...(vm.pid ? { pid: vm.pid } : {}), action: "reported" });
      }
    }
    let changed = reports.some((r) => r.action === "destroyed");
    for (const id of [...this.orphanSince.keys()]) {
      if (!seen.has(id)) {
        this.orphanSince.delete(id);
        changed = true;
      }
    }
    if (reports.some((r) => r.action === "reported" && !this.reportedOrphans.has(r.vm_id))) changed = true;
    this.reportedOrphans = new Set(reports.filter((r) => r.action === "reported").map((r) => r.vm_id));
    return { reports, changed };
  }

  /**
   * Writes the applied state. Servers converge side by side, so saves are queued: two at once
   * would share the temporary file, and the second rename would find it gone. Each save writes
   * the state as it is when its turn comes, so the last one holds every change.
   */
  private saveState(): Promise<void> {
    const save = this.saving.then(() => this.writeState());
    this.saving = save.catch(() => undefined);
    return save;
  }

  private async writeState(): Promise<void> {
    await mkdir(dirname(this.options.stateFile), { recursive: true });
    const tmp = `${this.options.stateFile}.tmp`;
    await writeFile(tmp, `${JSON.stringify(this.applied)}\n`, { mode: 0o600 });
    await rename(tmp, this.options.stateFile);
  }
}

async function readState(path: string): Promise<AppliedState> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<AppliedState>;
    return { reboots: parsed.reboots ?? {}, restores: parsed.restores ?? {} };
  } catch {
    return { reboots: {}, restores: {} };
  }
}
