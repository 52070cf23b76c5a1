import { join } from "node:path";
import { listOptional, readCounter, readOptional, toNumber } from "./counter.js";
import { CounterWentBackwardsError } from "./errors.js";
import type { FileReader } from "./file-reader.js";
import { nodeFileReader } from "./file-reader.js";
import type { EnergyReading, PowerSource } from "./power-source.js";

/** Options for HwmonPowerSource.open. */
export interface HwmonOptions {
  /** Filesystem root holding sys/class/hwmon. */
  readonly root: string;
  readonly reader?: FileReader;
  readonly now?: () => number;
  /** Only use hwmon devices whose `name` file equals this (e.g. "power_meter"). */
  readonly deviceName?: string;
}

type Mode = "energy" | "power";

/**
 * Host energy from hwmon: `energy*_input` counters (µJ) when any exist, else `power*_input`
 * gauges (µW) integrated over time by the trapezoid rule. When energy inputs are labelled and
 * some labels name a socket (amd_energy), only those are summed so per-core inputs are not
 * counted twice.
 */
export class HwmonPowerSource implements PowerSource {
  readonly kind = "hwmon" as const;
  /** Power integration leftovers below 1 µJ, in µW·ms, so rounding never accumulates. */
  private carry = 0n;

  private constructor(
    readonly mode: Mode,
    private readonly paths: string[],
    private last: bigint[],
    private readonly reader: FileReader,
    private readonly now: () => number,
    private lastAt: number,
  ) {}

  /** Finds inputs and reads a baseline; undefined when no hwmon device reports energy or power. */
  static async open(options: HwmonOptions): Promise<HwmonPowerSource | undefined> {
    const reader = options.reader ?? nodeFileReader;
    const now = options.now ?? Date.now;
    const base = join(options.root, "sys/class/hwmon");
    const energy: string[] = [];
    const power: string[] = [];
    for (const dev of (await listOptional(reader, base)).filter((d) => /^hwmon\d+$/.test(d)).sort()) {
      const dir = join(base, dev);
      if (
        options.deviceName !== undefined &&
        (await readOptional(reader, join(dir, "name"))) !== options.deviceName
      ) {
        continue;
      }
      const files = (await listOptional(reader, dir)).sort();
      const energyFiles = files.filter((f) => /^energy\d+_input$/.test(f));
      const labels = await Promise.all(
        energyFiles.map((f) => readOptional(reader, join(dir, f.replace("_input", "_label")))),
      );
      const sockets = energyFiles.filter((_, i) => /socket/i.test(labels[i] ?? ""));
      energy.push(...(sockets.length > 0 ? sockets : energyFiles).map((f) => join(dir, f)));
      power.push(...files.filter((f) => /^power\d+_input$/.test(f)).map((f) => join(dir, f)));
    }
    const mode: Mode | undefined = energy.length > 0 ? "energy" : power.length > 0 ? "power" : undefined;
    if (mode === undefined) return undefined;
    const paths = mode === "energy" ? energy : power;
    const last = await Promise.all(paths.map((p) => readCounter(reader, p)));
    return new HwmonPowerSource(mode, paths, last, reader, now, now());
  }

  async read(): Promise<EnergyReading> {
    const current = await Promise.all(this.paths.map((p) => readCounter(this.reader, p)));
    const at = this.now();
    const elapsedMs = Math.max(0, at - this.lastAt);
    const previous = this.last;
    this.last = current;
    this.lastAt = at;
    let total = 0n;
    if (this.mode === "energy") {
      // hwmon energy counters are 64-bit with no published range, so any decrease is a reset.
      const i = current.findIndex((c, k) => c < previous[k]!);
      if (i >= 0)
        throw new CounterWentBackwardsError(this.paths[i]!, toNumber(previous[i]!), toNumber(current[i]!));
      current.forEach((c, k) => (total += c - previous[k]!));
    } else {
      // µW × ms / 1000 = µJ; the trapezoid halves the sum: (p0 + p1) × ms / 2000.
      let scaled = this.carry;
      current.forEach((c, k) => (scaled += (c + previous[k]!) * BigInt(elapsedMs)));
      total = scaled / 2000n;
      this.carry = scaled % 2000n;
    }
    return {
      kind: "hwmon",
      estimated: false,
      energyMicrojoules: toNumber(total),
      intervalMs: elapsedMs,
      atMs: at,
    };
  }
}
