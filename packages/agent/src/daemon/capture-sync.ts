import type { CaptureMethod, CaptureObservation, DesiredServer } from "@layerboom/core";
import type { Driver } from "../qemu/driver.js";
import type { Logger } from "../qemu/logger.js";

/** Sends a copy to the controller (a {@link CaptureUploader}). */
export type UploadCapture = (captureId: string, path: string, method: CaptureMethod) => Promise<void>;

/** How often an upload is tried before the capture is reported failed. */
const UPLOAD_ATTEMPTS = 3;

/**
 * The host's part of captures (docs/images.md, "Capture"), run in each reconcile pass: for each
 * capture the controller wants of a server, copy its disk (live over QMP when it runs, with
 * qemu-img when stopped), upload the copy, and delete it. A copy this process did not just take
 * is deleted (a crash left it, or the capture is no longer wanted); a capture that failed is
 * reported failed and not tried again while it stays wanted, as a failed backup.
 */
export class CaptureSync {
  /** Failed captures, by server and capture id, with the error. */
  private readonly failures = new Map<string, Map<string, string>>();
  /** Uploaded, until the controller stops asking for them. */
  private readonly uploaded = new Set<string>();

  constructor(
    private readonly driver: Driver,
    private readonly upload: UploadCapture,
    private readonly logger: Logger,
    private readonly retryDelayMs = 2_000,
  ) {}

  /** Takes and uploads the server's wanted captures; returns the failures to report. */
  async sync(server: DesiredServer, vmId: string): Promise<CaptureObservation[]> {
    const wanted = new Set(server.captures ?? []);
    const failures = this.failures.get(server.server_id) ?? new Map<string, string>();
    for (const id of [...failures.keys()]) if (!wanted.has(id)) failures.delete(id);
    for (const id of [...this.uploaded])
      if (id.startsWith(`${server.server_id} `) && !wanted.has(id.split(" ")[1] ?? ""))
        this.uploaded.delete(id);
    for (const file of await this.driver.listCaptures(vmId))
      await this.driver.removeCapture(vmId, file.captureId);
    for (const id of [...wanted].sort()) {
      if (failures.has(id) || this.uploaded.has(`${server.server_id} ${id}`)) continue;
      try {
        const copy = await this.driver.takeCapture(vmId, id);
        this.logger.info(
          { serverId: server.server_id, captureId: id, method: copy.method, sizeBytes: copy.sizeBytes },
          "capture copied",
        );
        await this.uploadWithRetries(id, copy.path, copy.method);
        this.uploaded.add(`${server.server_id} ${id}`);
        this.logger.info({ serverId: server.server_id, captureId: id }, "capture uploaded");
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.logger.error({ serverId: server.server_id, captureId: id, err }, "capture failed");
        failures.set(id, message.slice(0, 2000));
      } finally {
        await this.driver.removeCapture(vmId, id).catch(() => undefined);
      }
    }
    if (failures.size > 0) this.failures.set(server.server_id, failures);
    else this.failures.delete(server.server_id);
    return [...failures].map(([id, error]) => ({ capture_id: id, state: "failed" as const, error }));
  }

  /** Forgets a deleted server. */
  forget(serverId: string): void {
    this.failures.delete(serverId);
    for (const id of [...this.uploaded]) if (id.startsWith(`${serverId} `)) this.uploaded.delete(id);
  }

  private async uploadWithRetries(id: string, path: string, method: CaptureMethod): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.upload(id, path, method);
        return;
      } catch (err) {
        if (attempt >= UPLOAD_ATTEMPTS) throw err;
        this.logger.warn({ captureId: id, attempt, err }, "capture upload failed; trying again");
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * attempt));
      }
    }
  }
}
