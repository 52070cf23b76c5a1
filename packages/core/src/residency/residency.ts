import { DomainError, InvalidInputError } from "../errors.js";
import { ISO_3166_1_ALPHA_2 } from "./iso-3166-1.js";

/** The most required jurisdictions an account may list. */
export const MAX_REQUIRED_JURISDICTIONS = 20;

/** "CA-QC": the longest code is a country, a hyphen and three characters. */
export const MAX_JURISDICTION_CODE_LENGTH = 6;

const SUBDIVISION = /^[A-Z0-9]{1,3}$/;

/** A code as an error message may quote it: never longer than a code can be, plus an ellipsis. */
function quoted(code: string): string {
  return JSON.stringify(code.length > 12 ? `${code.slice(0, 12)}…` : code);
}

/**
 * Why `code` is not a jurisdiction code, or undefined when it is one: an ISO 3166-1 alpha-2
 * country code ("CA") or an ISO 3166-2 subdivision code of an assigned country ("CA-QC"),
 * upper case. Subdivisions are checked for form only (1–3 letters or digits): the ISO 3166-2
 * list changes every year, and a label that no site carries simply matches no site.
 */
export function jurisdictionCodeProblem(code: unknown): string | undefined {
  if (typeof code !== "string") return "a jurisdiction code is a string";
  if (code.length === 0) return "a jurisdiction code is not empty";
  if (code.length > MAX_JURISDICTION_CODE_LENGTH)
    return `${quoted(code)} is longer than a jurisdiction code (at most ${MAX_JURISDICTION_CODE_LENGTH} characters, e.g. "CA-QC")`;
  if (code !== code.toUpperCase())
    return `${quoted(code)} is not upper case; ISO 3166 codes are written ${quoted(code.toUpperCase())}`;
  const [country = "", subdivision, ...rest] = code.split("-");
  if (!ISO_3166_1_ALPHA_2.has(country))
    return `${quoted(code)} does not start with an ISO 3166-1 alpha-2 country code (e.g. "CA")`;
  if (rest.length > 0 || (subdivision !== undefined && !SUBDIVISION.test(subdivision)))
    return `${quoted(code)} is not an ISO 3166-2 subdivision code (country, hyphen, 1 to 3 letters or digits, e.g. "CA-QC")`;
  return undefined;
}

/** Whether `code` is a jurisdiction code (see jurisdictionCodeProblem). */
export function isJurisdictionCode(code: unknown): code is string {
  return jurisdictionCodeProblem(code) === undefined;
}

/** One jurisdiction code, or InvalidInputError naming the field and what is wrong with it. */
export function parseJurisdictionCode(field: string, code: unknown): string {
  const problem = jurisdictionCodeProblem(code);
  if (problem !== undefined) throw new InvalidInputError(field, `${field}: ${problem}.`);
  return code as string;
}

/**
 * A list of required jurisdictions as an account stores it: every code valid (the first bad
 * one is named), at most MAX_REQUIRED_JURISDICTIONS, repeats dropped, order kept.
 */
export function parseJurisdictionCodes(field: string, codes: readonly unknown[]): string[] {
  if (codes.length > MAX_REQUIRED_JURISDICTIONS)
    throw new InvalidInputError(
      field,
      `${field}: at most ${MAX_REQUIRED_JURISDICTIONS} jurisdictions, not ${codes.length}.`,
    );
  return [...new Set(codes.map((code, i) => parseJurisdictionCode(`${field}[${i}]`, code)))];
}

/**
 * Whether a site labelled `siteJurisdiction` satisfies one required jurisdiction: the same
 * code, or a subdivision of the required country ("CA-QC" satisfies "CA"; "CA" does not
 * satisfy "CA-QC", since a site somewhere in Canada need not be in Quebec). A site without a
 * label never satisfies a requirement. Federation offers are judged by the same rule.
 */
export function jurisdictionSatisfies(
  required: string,
  siteJurisdiction: string | null | undefined,
): boolean {
  if (!siteJurisdiction || !required) return false;
  return siteJurisdiction === required || siteJurisdiction.startsWith(`${required}-`);
}

/**
 * Whether an account requiring any one of `required` may have a server at a site labelled
 * `siteJurisdiction`. No requirement (an empty list) allows every site, labelled or not.
 */
export function residencyAllows(
  required: readonly string[],
  siteJurisdiction: string | null | undefined,
): boolean {
  return required.length === 0 || required.some((r) => jurisdictionSatisfies(r, siteJurisdiction));
}

/**
 * Whether the requirement `next` is at least as strict as `current`: every site `next` allows
 * is one `current` allows. Any requirement is as strict as none; none is looser than any.
 */
export function residencyNarrows(next: readonly string[], current: readonly string[]): boolean {
  if (current.length === 0) return true;
  if (next.length === 0) return false;
  return next.every((code) => residencyAllows(current, code));
}

/** How a requirement reads in a message: "CA" or "CA, US-NY". */
export function describeResidency(required: readonly string[]): string {
  return required.join(", ");
}

/**
 * A server of an account with required jurisdictions would be placed at a site outside them.
 * It is a rule the caller broke, not a missing resource and not a shortage: the API answers
 * 422 with code `outside_residency`, and the details name the rule, the site and its label.
 */
export class ResidencyViolationError extends DomainError {
  readonly code = "outside_residency";
  constructor(
    readonly required: readonly string[],
    readonly siteId: string,
    readonly siteJurisdiction: string,
  ) {
    super(
      `Site ${siteId} (${siteJurisdiction ? `jurisdiction ${siteJurisdiction}` : "no jurisdiction"}) is outside the account's required jurisdictions (${describeResidency(required)}): data residency allows only sites in ${describeResidency(required)}.`,
      {
        rule: "required_jurisdictions",
        required_jurisdictions: [...required],
        site_id: siteId,
        site_jurisdiction: siteJurisdiction,
      },
    );
  }
}

/** Throws ResidencyViolationError unless the site lies within the requirement. */
export function assertResidency(
  required: readonly string[],
  site: { readonly id: string; readonly jurisdiction: string | null | undefined },
): void {
  if (!residencyAllows(required, site.jurisdiction))
    throw new ResidencyViolationError(required, site.id, site.jurisdiction ?? "");
}
