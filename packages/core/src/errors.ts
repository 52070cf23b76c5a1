/**
 * Domain errors. Services throw these; the HTTP layer maps them to status codes in one
 * place, so no service knows about HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** The resource does not exist, or the caller may not see it: the two are indistinguishable on purpose. */
export class NotFoundError extends DomainError {
  readonly code = "not_found";
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`, { resource, id });
  }
}

/** Input that is well-formed JSON but wrong for the domain (unknown site, malformed SSH key...). */
export class InvalidInputError extends DomainError {
  readonly code = "invalid_input";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, { field });
  }
}

/** The request conflicts with current state (duplicate name, wrong state for an action). */
export class ConflictError extends DomainError {
  readonly code: string = "conflict";
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

/** No host can take the server; `short` names what is missing. */
export class InsufficientCapacityError extends ConflictError {
  override readonly code = "insufficient_capacity";
  constructor(
    message: string,
    readonly short: readonly ("cores" | "memory" | "disk" | "hosts" | "ipv4")[],
  ) {
    super(message, { short });
  }
}

/** The same Idempotency-Key was sent with a different request. */
export class IdempotencyConflictError extends ConflictError {
  override readonly code = "idempotency_key_conflict";
}

/** Missing, malformed, expired or revoked credentials. */
export class AuthenticationError extends DomainError {
  readonly code = "unauthenticated";
}

/** The caller is known but its role does not allow the action. */
export class ForbiddenError extends DomainError {
  readonly code = "forbidden";
}

/** Too many failed logins; try again after `retryAfterSeconds`. */
export class ThrottledError extends DomainError {
  readonly code = "too_many_attempts";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed attempts. Try again in ${retryAfterSeconds} s.`, {
      retry_after_seconds: retryAfterSeconds,
    });
  }
}

/** An account quota would be passed; `quota` names which one (images, image_bytes, image_jobs, uploads). */
export class QuotaExceededError extends DomainError {
  readonly code = "quota_exceeded";
  constructor(
    readonly quota: string,
    readonly limit: number,
    readonly used: number,
    message: string,
  ) {
    super(message, { quota, limit, used });
  }
}

/** The platform's own storage is below its reserve: nothing the caller did wrong, try later. */
export class InsufficientStorageError extends DomainError {
  readonly code = "insufficient_storage";
}
