import { buffer } from "node:stream/consumers";
import { OutboundRefusedError } from "../outbound/guard.js";
import type { OutboundGuard } from "../outbound/guard.js";
import { FederationSignatureError, PeerAnswerError } from "./errors.js";
import { FEDERATION_PROTOCOL, normaliseBaseUrl } from "./identity.js";
import type { FederationProfile } from "./identity.js";
import { fingerprintOf, publicKeyFromRaw } from "./keys.js";
import { signRequest } from "./message-signatures.js";
import type { SigningIdentity } from "./message-signatures.js";
import { verifySignedResponse } from "./response-signatures.js";

/** The federation endpoints, under a peer's base URL. */
export const PROTOCOL_PREFIX = "/federation/v1";

const TIMEOUT_MS = 15_000;
const MAX_ANSWER_BYTES = 256 * 1024;

/** A peer's answer: its status and JSON body (undefined when the body was not JSON). */
export interface PeerAnswer {
  status: number;
  body: unknown;
}

/** The key a peer's answers must be signed with. */
export interface PeerKey {
  fingerprint: string;
  public_key: string;
}

interface RawAnswer extends PeerAnswer {
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/**
 * The allowlist entry for a peer's base URL: its host and port exactly. Peering with it is the
 * admin's word that this address, private or not, may be called.
 */
export function allowanceFor(baseUrl: string): string {
  const url = new URL(baseUrl);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname}:${port}`;
}

/**
 * Calls peers through the outbound guard: the peer's own address is allowed by its URL (the
 * one an admin joined with, or the peer's recorded one), with no redirects and capped answers.
 */
export class PeerClient {
  constructor(private readonly guard: OutboundGuard) {}

  private async send(
    baseUrl: string,
    path: string,
    init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string },
  ): Promise<RawAnswer> {
    const url = `${baseUrl}${PROTOCOL_PREFIX}${path}`;
    try {
      const answer = await this.guard.allowing([allowanceFor(baseUrl)]).request(url, {
        ...init,
        maxRedirects: 0,
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_ANSWER_BYTES,
      });
      const bytes = await buffer(answer.body);
      let body: unknown;
      try {
        body = bytes.length > 0 ? JSON.parse(bytes.toString("utf8")) : undefined;
      } catch {
        body = undefined;
      }
      return { status: answer.status, body, headers: answer.headers, bytes };
    } catch (err) {
      if (err instanceof OutboundRefusedError)
        throw new PeerAnswerError(`Could not reach ${baseUrl}: ${err.message}.`);
      throw err;
    }
  }

  /** A peer's public profile, checked: its URL is the one called, its fingerprint is its key's. */
  async fetchProfile(baseUrl: string): Promise<FederationProfile & { url: string }> {
    const answer = await this.send(baseUrl, "/profile", {
      method: "GET",
      headers: { accept: "application/json" },
    });
    if (answer.status !== 200)
      throw new PeerAnswerError(`${baseUrl} answered ${answer.status} for its federation profile.`);
    return checkProfile(answer.body, baseUrl);
  }

  /**
   * A signed request to a peer (RFC 9421 over method, path, authority and Content-Digest). A 2xx
   * answer must be signed by `answerKey` for this very request, or it is refused.
   */
  async signed(
    signing: SigningIdentity,
    baseUrl: string,
    request: { method: "GET" | "POST"; path: string; body?: unknown },
    answerKey: PeerKey,
  ): Promise<PeerAnswer> {
    const { method, path, body } = request;
    const url = `${baseUrl}${PROTOCOL_PREFIX}${path}`;
    const payload = body === undefined ? "" : JSON.stringify(body);
    const headers = await signRequest(signing, { method, url, body: payload });
    const answer = await this.send(baseUrl, path, {
      method,
      headers: {
        ...headers,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: payload }),
    });
    if (answer.status >= 200 && answer.status < 300) {
      const publicKey = publicKeyFromRaw(answerKey.public_key);
      if (!publicKey) throw new PeerAnswerError(`The key recorded for ${baseUrl} is not an Ed25519 key.`);
      try {
        await verifySignedResponse(
          { status: answer.status, headers: answer.headers, body: answer.bytes },
          { method, url, headers },
          answerKey.fingerprint,
          publicKey,
        );
      } catch (err) {
        if (err instanceof FederationSignatureError)
          throw new PeerAnswerError(`The answer of ${baseUrl} is refused: ${err.message}`);
        throw err;
      }
    }
    return { status: answer.status, body: answer.body };
  }
}

const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/**
 * A profile received from a peer, checked field by field: its protocol, a real Ed25519 key whose
 * fingerprint it states, and, when `expectedUrl` is given, that URL as its own.
 */
export function checkProfile(
  value: unknown,
  expectedUrl?: string,
  field = "url",
): FederationProfile & { url: string } {
  const refuse = (message: string) => new PeerAnswerError(message, field);
  if (typeof value !== "object" || value === null) throw refuse("The peer's profile is not a JSON object.");
  const p = value as Record<string, unknown>;
  if (p["protocol"] !== FEDERATION_PROTOCOL)
    throw refuse(`The peer speaks ${String(p["protocol"])}, not ${FEDERATION_PROTOCOL}.`);
  const name = p["name"];
  const url = typeof p["url"] === "string" ? normaliseBaseUrl(p["url"]) : undefined;
  const publicKey = p["public_key"];
  const jurisdictions = p["jurisdictions"];
  const contact = p["contact"];
  if (typeof name !== "string" || name.length === 0 || name.length > 200)
    throw refuse("The peer's profile has no name.");
  if (!url) throw refuse("The peer's profile has no base URL.");
  if (expectedUrl !== undefined && url !== expectedUrl)
    throw refuse(`The profile at ${expectedUrl} names another URL as its own (${url}).`);
  if (typeof publicKey !== "string" || !publicKeyFromRaw(publicKey))
    throw refuse("The peer's profile has no Ed25519 public key.");
  if (p["fingerprint"] !== fingerprintOf(publicKey))
    throw refuse("The peer's profile states a fingerprint that is not its key's.");
  if (
    !Array.isArray(jurisdictions) ||
    jurisdictions.length > 50 ||
    !jurisdictions.every((j): j is string => typeof j === "string" && JURISDICTION.test(j))
  )
    throw refuse("The peer's profile has malformed jurisdictions.");
  if (typeof contact !== "string" || contact.length > 500)
    throw refuse("The peer's profile has a malformed contact.");
  return {
    protocol: FEDERATION_PROTOCOL,
    name,
    url,
    public_key: publicKey,
    fingerprint: fingerprintOf(publicKey),
    jurisdictions,
    contact,
  };
}
