import { HwmonPowerSource } from "./hwmon.js";
import { ModelPowerSource } from "./power-model.js";
import { RaplPowerSource } from "./rapl.js";
import type { PowerProfile } from "./power-profiles.js";
import type { PowerSource } from "./power-source.js";
import type { FileReader } from "./file-reader.js";

/** Options for openPowerSource. */
export interface OpenPowerSourceOptions {
  readonly root: string;
  /** Profile for the model used when no counter exists. */
  readonly fallbackProfile: PowerProfile;
  readonly reader?: FileReader;
  readonly now?: () => number;
  /** Counter order to try; RAPL first because it is present on nearly every x86 server. */
  readonly prefer?: readonly ("rapl" | "hwmon")[];
}

/** Opens the first available counter in `prefer` order, else the power model. */
export async function openPowerSource(options: OpenPowerSourceOptions): Promise<PowerSource> {
  for (const kind of options.prefer ?? ["rapl", "hwmon"]) {
    const source =
      kind === "rapl" ? await RaplPowerSource.open(options) : await HwmonPowerSource.open(options);
    if (source !== undefined) return source;
  }
  return ModelPowerSource.open({ ...options, profile: options.fallbackProfile });
}
