import type { BackupObservation, DesiredServer } from "@layerboom/core";
import type { Driver } from "../qemu/driver.js";
import type { Logger } from "../qemu/logger.js";

/**
 * Makes a server's backup files match the set the controller wants, pass after pass. A backup
 * that failed is reported failed and not retried while it stays wanted (the controller then
 * stops wanting it); the failures are kept here, in memory, per server.
 */
export class BackupSync {
  /** Backups that failed, by server and backup id. */
  private readonly failures = new Map<string, Map<string, string>>();

  constructor(
    private readonly driver: Driver,
    private readonly logger: Logger,
  ) {}

  /**
   * Deletes what is not wanted (and half-written files), takes each wanted backup the VM lacks,
   * and reports what it has.
   */
  async sync(server: DesiredServer, vmId: string): Promise<BackupObservation[]> {
    const { driver, logger } = this;
    const wanted = new Set(server.backups);
    const failures = this.failures.get(server.server_id) ?? new Map<string, string>();
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
    if (failures.size > 0) this.failures.set(server.server_id, failures);
    else this.failures.delete(server.server_id);
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

  /** Forgets a deleted server's failures (its backups went with it). */
  forget(serverId: string): void {
    this.failures.delete(serverId);
  }
}
