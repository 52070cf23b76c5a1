import type { FileReader } from "./file-reader.js";
import { nodeFileReader } from "./file-reader.js";
import type { CpuTimes } from "./proc-stat.js";
import { readCpuTimes, utilisation } from "./proc-stat.js";
import type { PowerProfile } from "./power-profiles.js";
import { wattsAt } from "./power-profiles.js";
import type { EnergyReading, PowerSource } from "./power-source.js";

/** Options for ModelPowerSource.open. */
export interface ModelOptions {
  /** Filesystem root holding proc/stat. */
  readonly root: string;
  readonly profile: PowerProfile;
  readonly reader?: FileReader;
  readonly now?: () => number;
}

/**
 * Estimated host energy for hosts without counters: the profile's power at the CPU utilisation
 * seen in /proc/stat since the last read, times the elapsed time. Readings are marked estimated.
 */
export class ModelPowerSource implements PowerSource {
  readonly kind = "model" as const;

  private constructor(
    readonly profile: PowerProfile,
    private readonly root: string,
    private readonly reader: FileReader,
    private readonly now: () => number,
    private last: CpuTimes,
    private lastAt: number,
  ) {}

  /** Reads a /proc/stat baseline. */
  static async open(options: ModelOptions): Promise<ModelPowerSource> {
    const reader = options.reader ?? nodeFileReader;
    const now = options.now ?? Date.now;
    const times = await readCpuTimes(reader, options.root);
    return new ModelPowerSource(options.profile, options.root, reader, now, times, now());
  }

  async read(): Promise<EnergyReading> {
    const times = await readCpuTimes(this.reader, this.root);
    const at = this.now();
    const elapsedMs = Math.max(0, at - this.lastAt);
    const watts = wattsAt(this.profile, utilisation(this.last, times));
    this.last = times;
    this.lastAt = at;
    return {
      kind: "model",
      estimated: true,
      energyMicrojoules: Math.round(watts * elapsedMs * 1000),
      intervalMs: elapsedMs,
      atMs: at,
    };
  }
}
