/** Base class for every error raised by the energy domain, so callers can catch the family at once. */
export class EnergyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A PUE below 1 (or not a finite decimal) was given; a facility cannot use less than its IT load. */
export class InvalidPueError extends EnergyError {
  constructor(readonly value: string | number) {
    super(`PUE must be a decimal number >= 1 with at most 3 decimals, got ${String(value)}`);
  }
}

/** An attribution input field is out of range; `vmId` names the VM when the field belongs to one. */
export class InvalidAttributionInputError extends EnergyError {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly vmId?: string,
  ) {
    super(`invalid attribution input ${vmId === undefined ? "" : `for VM ${vmId} `}(${field}): ${reason}`);
  }
}

/** A quantity would leave the range where a JavaScript number is an exact integer. */
export class EnergyRangeError extends EnergyError {
  constructor(
    readonly field: string,
    readonly value: bigint | number,
  ) {
    super(`${field} = ${String(value)} is outside the safe integer range`);
  }
}

/** The IANA zone is not known to this runtime's Intl data. */
export class UnknownTimeZoneError extends EnergyError {
  constructor(readonly zone: string) {
    super(`unknown IANA time zone: ${JSON.stringify(zone)}`);
  }
}

/** A tariff or carbon series definition is malformed. */
export class InvalidTariffError extends EnergyError {
  constructor(readonly reason: string) {
    super(`invalid tariff: ${reason}`);
  }
}

/** A series has no value for the instant asked about; pricing never guesses a price. */
export class MissingSeriesDataError extends EnergyError {
  constructor(
    readonly series: "price" | "carbon",
    readonly atMs: number,
  ) {
    super(`no ${series} data for ${new Date(atMs).toISOString()}`);
  }
}

/** A bucket of energy to price is malformed (negative energy, zero duration with energy, ...). */
export class InvalidBucketError extends EnergyError {
  constructor(readonly reason: string) {
    super(`invalid energy bucket: ${reason}`);
  }
}

/** An IESO-style price CSV was rejected; nothing from the file is imported. `line` is 1-based. */
export class PriceCsvError extends EnergyError {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`price CSV line ${line}: ${reason}`);
  }
}

/** Placement weights for the energy weigher are negative or both zero. */
export class InvalidWeightsError extends EnergyError {
  constructor(
    readonly price: number,
    readonly carbon: number,
  ) {
    super(`energy weights must be non-negative and not both zero (price ${price}, carbon ${carbon})`);
  }
}
