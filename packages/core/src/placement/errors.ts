import { InsufficientCapacityError, InvalidInputError } from "../errors.js";
import type { PlacementShortage } from "./shortage.js";

/**
 * A placement request field is out of range (`field` names it, e.g. `vcpus`). It is a
 * domain input error, so the API answers 400.
 */
export class InvalidPlacementRequestError extends InvalidInputError {
  constructor(field: string, reason: string) {
    super(field, `invalid placement request (${field}): ${reason}`);
  }
}

/**
 * Base class for placement faults that are not the caller's: bad host rows or a bad policy.
 * Deliberately not a DomainError, so the API reports them as internal errors.
 */
export class PlacementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A host's reported or reserved capacity is malformed, or its id repeats. */
export class InvalidHostCapacityError extends PlacementError {
  constructor(
    readonly hostId: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`invalid capacity for host ${JSON.stringify(hostId)} (${field}): ${reason}`);
  }
}

/** A placement policy setting (an overcommit ratio, the memory reserve, an extra score) is out of range. */
export class InvalidPlacementPolicyError extends PlacementError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`invalid placement policy (${field} = ${String(value)}): ${reason}`);
  }
}

/**
 * No host can take the server. The message names what is short; `short` falls back to
 * `["hosts"]` when no resource is short on its own (no eligible host, or no single host
 * has all of them).
 */
export class PlacementShortageError extends InsufficientCapacityError {
  constructor(readonly shortage: PlacementShortage) {
    super(shortage.message, shortage.short.length > 0 ? shortage.short : ["hosts"]);
    Object.assign(this.details ?? {}, { reason: shortage.reason });
  }
}
