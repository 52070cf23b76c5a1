/**
 * The wait before attempt `attempts + 1`: exponential from `base`, capped at `max`, with jitter
 * (between half and all of it) so the retries of many jobs that failed together, such as
 * deliveries to one recovering receiver, do not arrive in lockstep.
 */
export function backoffMs(attempts: number, base: number, max: number, random = Math.random): number {
  const full = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}
