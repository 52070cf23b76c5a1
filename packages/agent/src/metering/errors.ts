/** Base class for metering errors. */
export class MeteringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A counter file could not be read. `code` is the errno name (EACCES, EISDIR, ENOENT, ...). */
export class CounterUnreadableError extends MeteringError {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(
      (code === "EACCES" || code === "EPERM") && path.endsWith("energy_uj")
        ? `cannot read ${path} (${code}): RAPL energy_uj is readable only by root since Linux 5.10 ` +
            `(CVE-2020-8694, PLATYPUS); run the agent as root or grant it read access to the file`
        : `cannot read ${path} (${code})`,
    );
  }
}

/** A counter file held something other than the number expected. */
export class CounterParseError extends MeteringError {
  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    super(`cannot parse ${path}: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/**
 * A cumulative counter went down and the wraparound that would explain it implies an
 * implausible power. The interval is not counted; the source re-baselines on the new value.
 */
export class CounterWentBackwardsError extends MeteringError {
  constructor(
    readonly path: string,
    readonly previous: number,
    readonly current: number,
  ) {
    super(`counter ${path} went backwards from ${previous} to ${current} without a plausible wraparound`);
  }
}

/** No power profile with that id in the table. */
export class UnknownPowerProfileError extends MeteringError {
  constructor(readonly profileId: string) {
    super(`unknown power profile ${JSON.stringify(profileId)}`);
  }
}
