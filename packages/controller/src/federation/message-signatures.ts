import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { VerificationError, createSigner, createVerifier, httpbis } from "http-message-signatures";
import { parseDictionary, serializeDictionary } from "structured-headers";
import type { Dictionary } from "structured-headers";
import { FederationSignatureError } from "./errors.js";

/** The label of our one signature in Signature-Input and Signature. */
export const SIGNATURE_LABEL = "lb";

/** What every federation request signs (RFC 9421 components), besides its parameters. */
export const COVERED_COMPONENTS = ["@method", "@path", "@authority", "content-digest"] as const;

/** Signature parameters every request carries: `created` and `nonce` make replays detectable. */
const REQUIRED_PARAMS = ["created", "keyid", "alg", "nonce"] as const;

/** How far a signature's `created` may be from our clock, either way, in seconds. */
export const CLOCK_SKEW_SECONDS = 300;

const ALGORITHM = "ed25519";
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;

/** The key a request is signed with: its id (the fingerprint) and the private key. */
export interface SigningIdentity {
  keyId: string;
  privateKey: KeyObject;
}

/** RFC 9530 Content-Digest of a body with sha-256, as a structured dictionary (`sha-256=:…:`). */
export function contentDigest(body: Buffer | string): string {
  const digest = createHash("sha256").update(body).digest();
  const bytes = digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength);
  return serializeDictionary(new Map([["sha-256", [bytes, new Map()]]]) as Dictionary);
}

/** A fresh nonce: 128 random bits, base64url. */
export function newNonce(): string {
  return randomBytes(16).toString("base64url");
}

export interface RequestToSign {
  method: string;
  /** The full URL the request goes to: its path and authority are signed. */
  url: string | URL;
  body: Buffer | string;
  /** Default: now. */
  created?: Date;
  /** Default: a fresh one. */
  nonce?: string;
}

/**
 * The headers that sign a request (Content-Digest, Signature-Input, Signature), made by the
 * `http-message-signatures` library over {@link COVERED_COMPONENTS} with Node's Ed25519.
 */
export async function signRequest(
  identity: SigningIdentity,
  request: RequestToSign,
): Promise<Record<string, string>> {
  const digest = contentDigest(request.body);
  const signed = await httpbis.signMessage(
    {
      key: createSigner(identity.privateKey, ALGORITHM, identity.keyId),
      name: SIGNATURE_LABEL,
      fields: [...COVERED_COMPONENTS],
      params: [...REQUIRED_PARAMS],
      paramValues: { created: request.created ?? new Date(), nonce: request.nonce ?? newNonce() },
    },
    { method: request.method, url: request.url, headers: { "content-digest": digest } },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers))
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

/** A request as it arrived, with the URL rebuilt on our own authority. */
export interface ReceivedRequest {
  method: string;
  /** Our own base URL (the profile's) joined with the request's path: what the sender must have signed. */
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  /** The body's exact bytes, as received. */
  body: Buffer;
}

/** What a verified signature said about itself. */
export interface VerifiedSignature {
  keyId: string;
  nonce: string;
  created: Date;
}

/** A header's value, repeated fields joined as HTTP joins them. */
export function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** A component a signature must cover: its name and, for a request-bound one, its parameters. */
export interface ComponentRule {
  name: string;
  params?: Record<string, string | boolean>;
}

/** What a signature must carry: its parameters and the components it covers. */
export interface SignatureRules {
  params: readonly string[];
  components: readonly ComponentRule[];
}

/** The rules of a federation request's signature. */
export const REQUEST_RULES: SignatureRules = {
  params: REQUIRED_PARAMS,
  components: COVERED_COMPONENTS.map((name) => ({ name })),
};

/** A signature's parameters, as the rules read them. */
export interface SignatureInput {
  keyId: string;
  nonce: string | undefined;
  created: number;
}

function describe(rule: ComponentRule): string {
  const params = Object.entries(rule.params ?? {}).map(([k, v]) =>
    v === true ? `;${k}` : `;${k}="${String(v)}"`,
  );
  return `"${rule.name}"${params.join("")}`;
}

/** Reads the one signature's parameters, refusing anything but one complete ed25519 signature. */
export function readSignatureInput(text: string, rules: SignatureRules): SignatureInput {
  let inputs: Dictionary;
  try {
    inputs = parseDictionary(text);
  } catch {
    throw new FederationSignatureError("malformed", "Signature-Input is not a structured dictionary.");
  }
  const entries = [...inputs.entries()];
  const only = entries[0];
  if (entries.length !== 1 || !only)
    throw new FederationSignatureError("malformed", "Send exactly one signature in Signature-Input.");
  const [, member] = only;
  if (!Array.isArray(member[0]))
    throw new FederationSignatureError("malformed", "Signature-Input's member is not an inner list.");
  const params = member[1];
  const keyId = params.get("keyid");
  const nonce = params.get("nonce");
  const created = params.get("created");
  const alg = params.get("alg");
  const missing = rules.params.filter((p) => !params.has(p));
  if (missing.length > 0)
    throw new FederationSignatureError(
      "malformed",
      `The signature lacks the parameters ${missing.join(", ")}.`,
    );
  if (typeof keyId !== "string" || keyId.length > 200)
    throw new FederationSignatureError("malformed", "The signature's keyid is not a string.");
  if (alg !== ALGORITHM)
    throw new FederationSignatureError("malformed", `The signature's alg must be ${ALGORITHM}.`, keyId);
  if (nonce !== undefined && (typeof nonce !== "string" || !NONCE.test(nonce)))
    throw new FederationSignatureError(
      "malformed",
      "The signature's nonce must be 16-128 base64url characters.",
      keyId,
    );
  if (typeof created !== "number" || !Number.isInteger(created))
    throw new FederationSignatureError("malformed", "The signature's created is not an integer.", keyId);
  const covered = member[0];
  const uncovered = rules.components.filter(
    (rule) =>
      !covered.some(
        ([name, itemParams]) =>
          name === rule.name && Object.entries(rule.params ?? {}).every(([k, v]) => itemParams.get(k) === v),
      ),
  );
  if (uncovered.length > 0)
    throw new FederationSignatureError(
      "malformed",
      `The signature does not cover ${uncovered.map(describe).join(", ")}; it must cover ${rules.components.map(describe).join(", ")}.`,
      keyId,
    );
  return { keyId, nonce: typeof nonce === "string" ? nonce : undefined, created };
}

/** Refuses a `created` more than {@link CLOCK_SKEW_SECONDS} from `now`, naming the clock. */
export function checkCreated(created: number, now: Date, keyId: string): void {
  const age = Math.floor(now.getTime() / 1000) - created;
  if (age > CLOCK_SKEW_SECONDS)
    throw new FederationSignatureError(
      "stale",
      `The signature was created ${age} s ago, more than the ${CLOCK_SKEW_SECONDS} s allowed: check the sender's clock.`,
      keyId,
    );
  if (-age > CLOCK_SKEW_SECONDS)
    throw new FederationSignatureError(
      "future",
      `The signature was created ${-age} s in the future, more than the ${CLOCK_SKEW_SECONDS} s allowed: check the sender's clock.`,
      keyId,
    );
}

/** Whether a Content-Digest header holds the sha-256 of `body`; refuses one without sha-256. */
export function digestMatches(text: string, body: Buffer, keyId: string): boolean {
  let digests: Dictionary;
  try {
    digests = parseDictionary(text);
  } catch {
    throw new FederationSignatureError("malformed", "Content-Digest is not a structured dictionary.", keyId);
  }
  const sha256 = digests.get("sha-256");
  if (!sha256 || !(sha256[0] instanceof ArrayBuffer))
    throw new FederationSignatureError("malformed", "Content-Digest has no sha-256 digest.", keyId);
  const claimed = Buffer.from(sha256[0]);
  const actual = createHash("sha256").update(body).digest();
  return claimed.length === actual.length && timingSafeEqual(claimed, actual);
}

/**
 * Checks a received request's signature (RFC 9421, verified by `http-message-signatures` with
 * Node's Ed25519), its `created` window and its Content-Digest (RFC 9530) against the body's
 * bytes. The key comes from `lookupKey` (undefined: unknown). The nonce is returned, not
 * recorded: the caller remembers it once the request is otherwise accepted.
 */
export async function verifySignedRequest(
  request: ReceivedRequest,
  lookupKey: (keyId: string) => Promise<KeyObject | undefined>,
  now: Date = new Date(),
): Promise<VerifiedSignature> {
  const inputText = header(request.headers, "signature-input");
  const signatureText = header(request.headers, "signature");
  if (!inputText || !signatureText)
    throw new FederationSignatureError(
      "unsigned",
      "This federation request is not signed: send Signature-Input and Signature (RFC 9421).",
    );
  const input = readSignatureInput(inputText, REQUEST_RULES);
  const { keyId, nonce } = input;
  if (nonce === undefined)
    throw new FederationSignatureError("malformed", "The signature lacks a nonce.", keyId);
  const publicKey = await lookupKey(keyId);
  if (!publicKey)
    throw new FederationSignatureError("unknown_key", `No peer here has the key ${keyId}.`, keyId);
  checkCreated(input.created, now, keyId);
  const digestText = header(request.headers, "content-digest");
  if (!digestText)
    throw new FederationSignatureError("malformed", "The request has no Content-Digest (RFC 9530).", keyId);
  let valid: boolean | null;
  try {
    valid = await httpbis.verifyMessage(
      {
        keyLookup: async () => ({
          id: keyId,
          algs: [ALGORITHM],
          verify: createVerifier(publicKey, ALGORITHM),
        }),
        requiredFields: [...COVERED_COMPONENTS],
        requiredParams: [...REQUIRED_PARAMS],
        // The window was checked above, on our clock and with our message; the library's own check must not fire first.
        tolerance: CLOCK_SKEW_SECONDS + 60,
      },
      {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(
          Object.entries(request.headers).filter((e): e is [string, string | string[]] => e[1] !== undefined),
        ),
      },
    );
  } catch (err) {
    if (err instanceof VerificationError || err instanceof Error)
      throw new FederationSignatureError(
        "bad_signature",
        `The signature does not verify: ${err.message}.`,
        keyId,
      );
    throw err;
  }
  if (valid !== true)
    throw new FederationSignatureError(
      "bad_signature",
      `The signature does not verify with the key ${keyId} over ${request.method} ${request.url.pathname} at ${request.url.host}.`,
      keyId,
    );
  if (!digestMatches(digestText, request.body, keyId))
    throw new FederationSignatureError(
      "digest_mismatch",
      "The body does not match its signed Content-Digest: it was altered on the way.",
      keyId,
    );
  return { keyId, nonce, created: new Date(input.created * 1000) };
}
