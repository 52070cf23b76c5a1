import { ApiError } from "../api";

/** A form error found before asking the API: the field and what is wrong, shown like the API's own. */
export class LocalError extends ApiError {
  constructor(field: string, message: string) {
    super(400, "invalid_input", message, field);
  }
}

/**
 * Whether the API's field `a` is the form's field `b`, in either spelling (schema errors say
 * `prices.0.amount`, the services `prices[0].amount`). A form field ending in `.*` is a list,
 * and takes the errors of its elements too (`jurisdictions.*` takes `jurisdictions.2`).
 */
function sameField(a: string, b: string): boolean {
  const norm = (f: string) => f.replace(/\[(\d+)\]/g, ".$1");
  if (b.endsWith(".*")) {
    const list = norm(b.slice(0, -2));
    return norm(a) === list || norm(a).startsWith(`${list}.`);
  }
  return norm(a) === norm(b);
}

/**
 * The API's error for a field, for the field's Field. A schema violation ("body field "email"
 * must match pattern …") is about the field but written for programmers; `plain`, when given,
 * says it in plain words instead.
 */
export function errorFor(error: unknown, field: string, plain?: string): string | undefined {
  if (!(error instanceof ApiError) || !error.field || !sameField(error.field, field)) return undefined;
  return plain && error.code === "invalid_request" ? plain : error.message;
}

/**
 * The error none of the form's fields shows, for the form's role="alert" paragraph: one about
 * no field, or about a field the form does not have.
 */
export function otherError(error: unknown, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError && error.field && fields.some((f) => sameField(error.field ?? "", f))) {
    return undefined;
  }
  return error instanceof Error ? error.message : "The request failed.";
}
