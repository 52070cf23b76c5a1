import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** What this host has applied of the controller's one-shot requests, per server. */
export interface AppliedState {
  /** reboot_seq applied per server. */
  reboots: Record<string, number>;
  /** restore seq applied per server (absent: none yet). */
  restores: Record<string, number>;
}

/**
 * The applied state, kept in a file so a restarted agent neither reboots nor restores twice.
 * Servers converge side by side, so saves are queued: two at once would share the temporary
 * file, and the second rename would find it gone. Each save writes the state as it is when its
 * turn comes, so the last one holds every change.
 */
export class AppliedStateFile {
  /** The state in memory; {@link load} fills it, {@link save} writes it. */
  state: AppliedState = { reboots: {}, restores: {} };
  private loaded = false;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  /** Reads the file once (a missing or unreadable one is an empty state). */
  async load(): Promise<void> {
    if (this.loaded) return;
    try {
      const parsed = JSON.parse(await readFile(this.path, "utf8")) as Partial<AppliedState>;
      this.state = { reboots: parsed.reboots ?? {}, restores: parsed.restores ?? {} };
    } catch {
      this.state = { reboots: {}, restores: {} };
    }
    this.loaded = true;
  }

  /** Drops what is kept for a deleted server. */
  forget(serverId: string): void {
    delete this.state.reboots[serverId];
    delete this.state.restores[serverId];
  }

  /** Queues a write of the state as it is when the write's turn comes. */
  save(): Promise<void> {
    const save = this.saving.then(() => this.write());
    this.saving = save.catch(() => undefined);
    return save;
  }

  private async write(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, `${JSON.stringify(this.state)}\n`, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
