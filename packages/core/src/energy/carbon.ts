import { InvalidTariffError, MissingSeriesDataError } from "./errors.js";
import { hourlyLookup } from "./hourly-series.js";

/** One hour of grid carbon intensity from a UTC start instant, in gCO2e/kWh. */
export interface CarbonPoint {
  readonly startMs: number;
  readonly gPerKwh: number;
}

/** Carbon intensity: an hourly series (with an optional annual default for gaps) or one annual figure. */
export type CarbonIntensity =
  | { readonly kind: "annual"; readonly gPerKwh: number }
  | {
      readonly kind: "hourly";
      readonly points: readonly CarbonPoint[];
      readonly annualDefaultGPerKwh?: number;
    };

/** A validated carbon intensity, resolved to integer mgCO2e/kWh. */
export interface CompiledCarbon {
  /** Intensity in integer mgCO2e/kWh at `ms`; throws MissingSeriesDataError in a gap with no default. */
  mgPerKwhAt(ms: number): number;
}

/**
 * Validates an intensity. Values in g/kWh may carry decimals and are resolved to whole mg/kWh,
 * which is far finer than any published grid intensity.
 */
export function compileCarbon(carbon: CarbonIntensity): CompiledCarbon {
  if (carbon.kind === "annual") {
    const mg = toMg(carbon.gPerKwh, "annual");
    return { mgPerKwhAt: () => mg };
  }
  const fallback =
    carbon.annualDefaultGPerKwh === undefined
      ? undefined
      : toMg(carbon.annualDefaultGPerKwh, "annual default");
  const lookup = hourlyLookup(
    carbon.points.map((p) => ({ startMs: p.startMs, value: toMg(p.gPerKwh, `carbon at ${p.startMs}`) })),
    "carbon",
  );
  return {
    mgPerKwhAt(ms) {
      const v = lookup.at(ms) ?? fallback;
      if (v === undefined) throw new MissingSeriesDataError("carbon", ms);
      return v;
    },
  };
}

function toMg(gPerKwh: number, what: string): number {
  if (!Number.isFinite(gPerKwh) || gPerKwh < 0) {
    throw new InvalidTariffError(`${what}: carbon intensity must be a non-negative number of g/kWh`);
  }
  return Math.round(gPerKwh * 1000);
}
