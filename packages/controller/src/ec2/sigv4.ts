import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { Ec2Error, authFailure } from "./errors.js";

/** The one algorithm we verify (docs/ec2.md: no SigV2, no SigV4a). */
export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
/** How far a request's `x-amz-date` may be from our clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** A request as it arrived, with what SigV4 signs. Header names are lower case (as Node gives them). */
export interface SignedRequest {
  method: string;
  /** The path as sent, percent-encoding included, without the query. */
  path: string;
  /** The query string as sent, without `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the `Authorization` header names. */
export interface SigV4Authorization {
  accessKeyId: string;
  /** The credential scope's date, `YYYYMMDD`. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const CREDENTIAL = /^([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]{1,64})\/([a-z0-9-]{1,64})\/aws4_request$/;
const SIGNED_HEADERS = /^[a-z0-9-]+(;[a-z0-9-]+)*$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; AuthFailure when malformed. */
export function parseAuthorization(header: string | undefined): SigV4Authorization {
  if (header === undefined)
    throw authFailure("The request is not signed: send an AWS Signature Version 4 Authorization header.");
  const space = header.indexOf(" ");
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM)
    throw authFailure(
      `Only ${SIGV4_ALGORITHM} (Signature Version 4) is supported, not ${algorithm.slice(0, 40)}.`,
    );
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = CREDENTIAL.exec(fields.get("Credential") ?? "");
  const signedHeaders = fields.get("SignedHeaders") ?? "";
  const signature = fields.get("Signature") ?? "";
  if (!credential || !SIGNED_HEADERS.test(signedHeaders) || !SIGNATURE.test(signature))
    throw authFailure(
      "The Authorization header is malformed: it needs Credential, SignedHeaders and Signature.",
    );
  return {
    accessKeyId: credential[1]!,
    scopeDate: credential[2]!,
    region: credential[3]!,
    service: credential[4]!,
    signedHeaders: signedHeaders.split(";"),
    signature,
  };
}

/** The instant of an `x-amz-date` (`20261207T093000Z`), or undefined when malformed. */
export function parseAmzDate(text: string): Date | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Checks everything about a signature that needs no secret: the scope's region and service,
 * `host` and `x-amz-date` signed, the scope's date equal to x-amz-date's, and the clock
 * within 15 minutes. Returns the request's `x-amz-date`.
 */
export function checkSignatureScope(
  request: SignedRequest,
  auth: SigV4Authorization,
  expected: { region: string; service: string; now: Date },
): string {
  if (auth.service !== expected.service)
    throw authFailure(
      `The credential is scoped to the service "${auth.service}"; this endpoint is "${expected.service}".`,
    );
  if (auth.region !== expected.region)
    throw authFailure(
      `The credential is scoped to the region "${auth.region}"; this endpoint's region is "${expected.region}".`,
    );
  for (const needed of ["host", "x-amz-date"])
    if (!auth.signedHeaders.includes(needed)) throw authFailure(`The "${needed}" header must be signed.`);
  const amzDate = headerText(request.headers["x-amz-date"]);
  const when = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (!amzDate || !when)
    throw authFailure("The X-Amz-Date header is missing or malformed (YYYYMMDDTHHMMSSZ).");
  if (amzDate.slice(0, 8) !== auth.scopeDate)
    throw authFailure(`The credential's date ${auth.scopeDate} is not the date of X-Amz-Date ${amzDate}.`);
  if (Math.abs(when.getTime() - expected.now.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new Ec2Error(
      "RequestExpired",
      `Request has expired: it is dated ${when.toISOString()}, more than 15 minutes from the server's time ${expected.now.toISOString()}.`,
    );
  }
  return amzDate;
}

/** Throws SignatureDoesNotMatch unless `auth.signature` is the request's signature under `secret`. */
export function verifySignature(
  request: SignedRequest,
  auth: SigV4Authorization,
  amzDate: string,
  secret: string | SigningKey,
): void {
  const expected = Buffer.from(signatureOf(request, auth, amzDate, secret), "hex");
  const given = Buffer.from(auth.signature, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new Ec2Error(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your secret access key and signing method.",
      403,
    );
  }
}

/** The hex signature of a request (SigV4: canonical request, string to sign, derived key). */
export function signatureOf(
  request: SignedRequest,
  auth: Omit<SigV4Authorization, "signature" | "accessKeyId">,
  amzDate: string,
  secret: string | SigningKey,
): string {
  const scope = `${auth.scopeDate}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [
    SIGV4_ALGORITHM,
    amzDate,
    scope,
    sha256Hex(canonicalRequest(request, auth.signedHeaders)),
  ].join("\n");
  const key =
    typeof secret === "string"
      ? deriveSigningKey(secret, auth.scopeDate, auth.region, auth.service)
      : secret.for(auth.scopeDate, auth.region, auth.service);
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

/** SigV4's signing key of a day, region and service: four HMACs from the secret. */
function deriveSigningKey(secret: string, scopeDate: string, region: string, service: string): Buffer {
  let key = hmac(`AWS4${secret}`, scopeDate);
  key = hmac(key, region);
  key = hmac(key, service);
  return hmac(key, "aws4_request");
}

/**
 * An access key's signing key, derived once for the day, region and service it was last asked
 * for rather than on every request (a cached key holder keeps one of these beside its secret).
 */
export class SigningKey {
  private scope: string | undefined;
  private key: Buffer | undefined;

  constructor(private readonly secret: string) {}

  for(scopeDate: string, region: string, service: string): Buffer {
    const scope = `${scopeDate}/${region}/${service}`;
    if (this.key === undefined || this.scope !== scope) {
      this.key = deriveSigningKey(this.secret, scopeDate, region, service);
      this.scope = scope;
    }
    return this.key;
  }
}

/** SigV4's canonical request. */
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[]): string {
  const headers = signedHeaders
    .map((name) => `${name}:${(headerText(request.headers[name]) ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  return [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalQuery(request.query),
    headers,
    signedHeaders.join(";"),
    sha256Hex(request.body),
  ].join("\n");
}

/** The path with `.` and `..` resolved, each segment encoded (again, as SigV4 does for every service but S3). */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalised = `/${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalised).replace(/%2F/g, "/");
}

function canonicalQuery(query: string): string {
  if (query === "") return "";
  return query
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? "" : decodeQueryPart(pair.slice(eq + 1));
      return [escapeUri(key), escapeUri(value)] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** RFC 3986 encoding: everything but unreserved characters. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
