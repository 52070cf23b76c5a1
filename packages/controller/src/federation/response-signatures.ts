import type { KeyObject } from "node:crypto";
import { createSigner, createVerifier, httpbis } from "http-message-signatures";
import { FederationSignatureError } from "./errors.js";
import {
  CLOCK_SKEW_SECONDS,
  SIGNATURE_LABEL,
  checkCreated,
  contentDigest,
  digestMatches,
  header,
  readSignatureInput,
} from "./message-signatures.js";
import type { SignatureRules, SigningIdentity } from "./message-signatures.js";

const ALGORITHM = "ed25519";

/**
 * What an answer's signature covers: its status and Content-Digest, and the request's own
 * signature (RFC 9421 section 2.4, `"signature";req;key="lb"`). That binds the answer to the one
 * request it answers, nonce included, so an answer cannot be replayed to another request.
 */
const RESPONSE_FIELDS = ["@status", "content-digest", `"signature";req;key="${SIGNATURE_LABEL}"`];

const RESPONSE_RULES: SignatureRules = {
  params: ["created", "keyid", "alg"],
  components: [
    { name: "@status" },
    { name: "content-digest" },
    { name: "signature", params: { req: true, key: SIGNATURE_LABEL } },
  ],
};

/** The signed request an answer answers, as it was sent. */
export interface AnsweredRequest {
  method: string;
  url: string | URL;
  headers: Record<string, string | string[]>;
}

/** The headers that sign an answer to a signed request: Content-Digest, Signature-Input, Signature. */
export async function signResponse(
  identity: SigningIdentity,
  response: { status: number; body: string },
  request: AnsweredRequest,
): Promise<Record<string, string>> {
  const signed = await httpbis.signMessage(
    {
      key: createSigner(identity.privateKey, ALGORITHM, identity.keyId),
      name: SIGNATURE_LABEL,
      fields: RESPONSE_FIELDS,
      params: [...RESPONSE_RULES.params],
    },
    { status: response.status, headers: { "content-digest": contentDigest(response.body) } },
    request,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers))
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

/**
 * Checks that an answer is signed by the peer's key (`keyId`, `publicKey`), for this request,
 * within the clock window, over the body's exact bytes; throws a FederationSignatureError why not.
 */
export async function verifySignedResponse(
  response: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer },
  request: AnsweredRequest,
  keyId: string,
  publicKey: KeyObject,
  now: Date = new Date(),
): Promise<void> {
  const inputText = header(response.headers, "signature-input");
  const signatureText = header(response.headers, "signature");
  const digestText = header(response.headers, "content-digest");
  if (!inputText || !signatureText || !digestText)
    throw new FederationSignatureError("unsigned", "The answer is not signed.");
  const input = readSignatureInput(inputText, RESPONSE_RULES);
  if (input.keyId !== keyId)
    throw new FederationSignatureError(
      "unknown_key",
      `The answer is signed with the key ${input.keyId}, not the peer's (${keyId}).`,
      input.keyId,
    );
  checkCreated(input.created, now, keyId);
  let valid: boolean | null;
  try {
    valid = await httpbis.verifyMessage(
      {
        keyLookup: async () => ({
          id: keyId,
          algs: [ALGORITHM],
          verify: createVerifier(publicKey, ALGORITHM),
        }),
        requiredParams: [...RESPONSE_RULES.params],
        requiredFields: RESPONSE_RULES.components.map((c) => c.name),
        // The window was checked above, on our clock; the library's own check must not fire first.
        tolerance: CLOCK_SKEW_SECONDS + 60,
      },
      {
        status: response.status,
        headers: Object.fromEntries(
          Object.entries(response.headers).filter(
            (e): e is [string, string | string[]] => e[1] !== undefined,
          ),
        ),
      },
      request,
    );
  } catch (err) {
    throw new FederationSignatureError(
      "bad_signature",
      `The answer's signature does not verify: ${err instanceof Error ? err.message : String(err)}.`,
      keyId,
    );
  }
  if (valid !== true)
    throw new FederationSignatureError(
      "bad_signature",
      "The answer's signature does not verify with the peer's key for this request.",
      keyId,
    );
  if (!digestMatches(digestText, response.body, keyId))
    throw new FederationSignatureError(
      "digest_mismatch",
      "The answer's body does not match its signed Content-Digest: it was altered on the way.",
      keyId,
    );
}
