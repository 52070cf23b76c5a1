import { InvalidWeightsError } from "./errors.js";

/** A site (or host) a placement function may choose, with its energy signals. */
export interface EnergyCandidate {
  readonly siteId: string;
  /** Price per MWh at an instant (any unit, but the same one for all candidates); undefined when unknown. */
  readonly priceAt: (at: Date) => number | undefined;
  /** Carbon intensity in gCO2e/kWh at an instant; undefined when unknown. */
  readonly carbonAt: (at: Date) => number | undefined;
}

/** Scores in [0, 1] by site id; lower is better. */
export type EnergyScores = Map<string, number>;

/**
 * Min–max normalises one signal across candidates: cheapest/cleanest 0, dearest/dirtiest 1,
 * all-equal 0. A candidate with no value scores 1, so missing data never wins a placement.
 */
export function normaliseLowerIsBetter(values: ReadonlyMap<string, number | undefined>): EnergyScores {
  const known = [...values.values()].filter((v): v is number => v !== undefined && Number.isFinite(v));
  const min = Math.min(...known);
  const span = Math.max(...known) - min;
  const scores: EnergyScores = new Map();
  for (const [id, v] of values) {
    if (v === undefined || !Number.isFinite(v)) scores.set(id, 1);
    else scores.set(id, span > 0 ? (v - min) / span : 0);
  }
  return scores;
}

/** Scores candidates by energy price at `at`. */
export function priceWeigher(candidates: readonly EnergyCandidate[], at: Date): EnergyScores {
  return normaliseLowerIsBetter(new Map(candidates.map((c) => [c.siteId, c.priceAt(at)])));
}

/** Scores candidates by grid carbon intensity at `at`. */
export function carbonWeigher(candidates: readonly EnergyCandidate[], at: Date): EnergyScores {
  return normaliseLowerIsBetter(new Map(candidates.map((c) => [c.siteId, c.carbonAt(at)])));
}

/** Relative importance of price and carbon in energyWeigher; need not sum to 1. */
export interface EnergyWeights {
  readonly price: number;
  readonly carbon: number;
}

/** Weighted mean of the price and carbon scores, still in [0, 1]. Defaults to equal weights. */
export function energyWeigher(
  candidates: readonly EnergyCandidate[],
  at: Date,
  weights: EnergyWeights = { price: 1, carbon: 1 },
): EnergyScores {
  const total = weights.price + weights.carbon;
  if (!(weights.price >= 0 && weights.carbon >= 0 && total > 0)) {
    throw new InvalidWeightsError(weights.price, weights.carbon);
  }
  const price = priceWeigher(candidates, at);
  const carbon = carbonWeigher(candidates, at);
  return new Map(
    candidates.map((c) => [
      c.siteId,
      (weights.price * price.get(c.siteId)! + weights.carbon * carbon.get(c.siteId)!) / total,
    ]),
  );
}
