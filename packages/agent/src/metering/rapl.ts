import { join } from "node:path";
import { listOptional, readCounter, readOptional, toNumber } from "./counter.js";
import { CounterWentBackwardsError } from "./errors.js";
import type { FileReader } from "./file-reader.js";
import { nodeFileReader } from "./file-reader.js";
import type { EnergyReading, PowerSource } from "./power-source.js";

/** Options for RaplPowerSource.open. */
export interface RaplOptions {
  /** Filesystem root holding sys/class/powercap ("/" on a real host, a fixture folder in tests). */
  readonly root: string;
  readonly reader?: FileReader;
  readonly now?: () => number;
  /**
   * Highest power one zone can plausibly draw, in watts. A counter that went down is taken as a
   * wraparound only if the wrapped delta stays under this power over the elapsed time.
   */
  readonly maxPlausibleWatts?: number;
}

interface Zone {
  readonly path: string;
  readonly maxRangeUj: bigint;
  last: bigint;
}

/**
 * Host energy from Intel/AMD RAPL via powercap. Sums the top-level zones (`intel-rapl:N`, one per
 * package); subzones (`intel-rapl:N:M`: core, uncore, dram) are not added since core and uncore are
 * inside the package figure. When a `psys` zone exists it covers the whole SoC and is used alone.
 */
export class RaplPowerSource implements PowerSource {
  readonly kind = "rapl" as const;

  private constructor(
    private readonly zones: Zone[],
    private readonly reader: FileReader,
    private readonly now: () => number,
    private readonly maxPlausibleWatts: number,
    private lastAt: number,
  ) {}

  /** Finds the zones and reads a baseline; undefined when the host has no RAPL zones. */
  static async open(options: RaplOptions): Promise<RaplPowerSource | undefined> {
    const reader = options.reader ?? nodeFileReader;
    const now = options.now ?? Date.now;
    const base = join(options.root, "sys/class/powercap");
    const names = (await listOptional(reader, base)).filter((n) => /^intel-rapl:\d+$/.test(n)).sort();
    if (names.length === 0) return undefined;
    const labelled = await Promise.all(
      names.map(async (n) => ({
        dir: join(base, n),
        label: await readOptional(reader, join(base, n, "name")),
      })),
    );
    const psys = labelled.filter((z) => z.label === "psys");
    const chosen = psys.length > 0 ? psys : labelled;
    const zones = await Promise.all(
      chosen.map(async ({ dir }) => ({
        path: join(dir, "energy_uj"),
        maxRangeUj: await readCounter(reader, join(dir, "max_energy_range_uj")),
        last: await readCounter(reader, join(dir, "energy_uj")),
      })),
    );
    return new RaplPowerSource(zones, reader, now, options.maxPlausibleWatts ?? 2000, now());
  }

  /** Paths of the energy counters being summed. */
  get counterPaths(): string[] {
    return this.zones.map((z) => z.path);
  }

  async read(): Promise<EnergyReading> {
    const current = await Promise.all(this.zones.map((z) => readCounter(this.reader, z.path)));
    const at = this.now();
    const elapsedMs = Math.max(0, at - this.lastAt);
    let total = 0n;
    let backwards: CounterWentBackwardsError | undefined;
    this.zones.forEach((zone, i) => {
      const cur = current[i]!;
      if (cur >= zone.last) {
        total += cur - zone.last;
        return;
      }
      // The counter runs from 0 to max_energy_range_uj and then restarts at 0.
      const wrapped = zone.maxRangeUj - zone.last + cur;
      const ceiling = BigInt(Math.ceil(this.maxPlausibleWatts * elapsedMs * 1000));
      if (cur <= zone.maxRangeUj && wrapped <= ceiling) total += wrapped;
      else backwards ??= new CounterWentBackwardsError(zone.path, toNumber(zone.last), toNumber(cur));
    });
    const intervalMs = elapsedMs;
    this.zones.forEach((zone, i) => (zone.last = current[i]!));
    this.lastAt = at;
    if (backwards !== undefined) throw backwards;
    return { kind: "rapl", estimated: false, energyMicrojoules: toNumber(total), intervalMs, atMs: at };
  }
}
