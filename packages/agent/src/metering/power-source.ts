/** Where a host energy figure comes from. `model` figures are estimates. */
export type PowerSourceKind = "rapl" | "hwmon" | "model";

/** Host energy used since the previous read. */
export interface EnergyReading {
  readonly kind: PowerSourceKind;
  /** True when the figure comes from a model rather than a hardware counter. */
  readonly estimated: boolean;
  /** Energy since the previous read (0 on the first read after opening), integer microjoules. */
  readonly energyMicrojoules: number;
  /** Milliseconds since the previous read. */
  readonly intervalMs: number;
  /** Time of this read (ms since the epoch). */
  readonly atMs: number;
}

/** A host energy meter. A read that throws counts nothing; the next read starts from a fresh baseline or covers the gap. */
export interface PowerSource {
  readonly kind: PowerSourceKind;
  read(): Promise<EnergyReading>;
}
