import type { KeyObject } from "node:crypto";
import type { FederationPeerState } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import type { SecretBox } from "../base/secret-box.js";
import { FederationSignatureError, ProfileNotConfiguredError } from "./errors.js";
import type { SignatureRefusal } from "./errors.js";
import { getProfile } from "./identity.js";
import { publicKeyFromRaw } from "./keys.js";
import { CLOCK_SKEW_SECONDS, verifySignedRequest } from "./message-signatures.js";
import type { VerifiedSignature } from "./message-signatures.js";
import { rememberNonce } from "./nonces.js";
import { auditPeerEvent } from "./peer-audit.js";
import { findPeerByFingerprint, touchPeer } from "./peers.js";
import type { PeerRow } from "./peers.js";
import { refusalAudits } from "./refusal-audits.js";

/** What the receiving side of the protocol needs. */
export interface SignedRequestDeps {
  database: Database;
  secretBox: SecretBox;
  log: FastifyBaseLogger;
}

/** A received request's parts as verification reads them: the raw body is kept by the protocol routes. */
export interface RawRequest {
  request: FastifyRequest;
  body: Buffer;
}

async function ownBaseUrl(deps: SignedRequestDeps): Promise<string> {
  const profile = await getProfile(deps.database.db, deps.secretBox);
  if (!profile.url) throw new ProfileNotConfiguredError("accepting federation requests");
  return profile.url;
}

/**
 * Logs a refused request, and audits it when it named a key that peers here (a refusal
 * without a known key is anyone's noise: it goes to the log, not the append-only audit log),
 * at most once a minute per peer and reason (refusal-audits.ts: a key id is public).
 */
async function reportRefusal(
  deps: SignedRequestDeps,
  raw: RawRequest,
  err: FederationSignatureError,
  named: PeerRow | undefined,
): Promise<void> {
  const peer = named ?? (err.keyId ? await findPeerByFingerprint(deps.database.db, err.keyId) : undefined);
  const path = raw.request.url.split("?")[0] ?? "";
  deps.log.warn(
    { reason: err.reason, keyId: err.keyId, peerId: peer?.id, path, ip: raw.request.ip },
    `federation request refused: ${err.message}`,
  );
  if (!peer) return;
  const admitted = refusalAudits.admit(peer.id, err.reason, Date.now());
  if (!admitted.audit) return;
  // The refusal stands whatever happens here: an audit that fails is logged, not answered.
  await auditPeerEvent(deps.database.db, peer.id, "federation.request.refused", {
    reason: err.reason,
    path,
    method: raw.request.method,
    ip: raw.request.ip,
    ...(admitted.suppressed > 0 ? { refused_unaudited_since_last: admitted.suppressed } : {}),
  }).catch((auditErr: unknown) =>
    deps.log.error({ err: auditErr, peerId: peer.id }, "could not audit a refused federation request"),
  );
}

/**
 * Verifies a signed request against the keys given by `lookup`, then remembers its nonce
 * (a second use is a replay). The URL it checks against is ours, from the profile: a request
 * signed for another installation's authority does not verify here.
 */
async function verifyAndRemember(
  deps: SignedRequestDeps,
  raw: RawRequest,
  lookup: (keyId: string) => Promise<KeyObject | undefined>,
  beforeNonce: () => void,
): Promise<VerifiedSignature> {
  const base = await ownBaseUrl(deps);
  const verified = await verifySignedRequest(
    {
      method: raw.request.method,
      url: new URL(raw.request.url, base),
      headers: raw.request.headers,
      body: raw.body,
    },
    lookup,
  );
  beforeNonce();
  const expiresAt = new Date(verified.created.getTime() + (CLOCK_SKEW_SECONDS + 60) * 1000);
  if (!(await rememberNonce(deps.database.db, verified.keyId, verified.nonce, expiresAt)))
    throw new FederationSignatureError(
      "replayed",
      "This signature's nonce was already used: the request is a replay.",
      verified.keyId,
    );
  return verified;
}

/** The states other than active, each refused with its own reason unless an endpoint accepts it. */
type OtherState = Exclude<FederationPeerState, "active">;
const STATE_REFUSALS: Record<OtherState, SignatureRefusal> = {
  pending: "peer_pending",
  suspended: "peer_suspended",
  revoked: "peer_revoked",
};

/**
 * The peer that signed a request, when the signature holds and the peer is active or in one of
 * the states in `alsoAccept`; otherwise a FederationSignatureError naming why (a 401), logged,
 * and audited when the key is a peer's.
 */
export async function verifyPeerRequest(
  deps: SignedRequestDeps,
  raw: RawRequest,
  alsoAccept: readonly OtherState[] = [],
): Promise<PeerRow> {
  let peer: PeerRow | undefined;
  try {
    const verified = await verifyAndRemember(
      deps,
      raw,
      async (keyId) => {
        peer = await findPeerByFingerprint(deps.database.db, keyId);
        return peer ? publicKeyFromRaw(peer.public_key) : undefined;
      },
      () => {
        if (peer && peer.state !== "active" && !alsoAccept.includes(peer.state)) {
          throw new FederationSignatureError(
            STATE_REFUSALS[peer.state],
            `This installation's peering with you is ${peer.state}: the request is refused.`,
            peer.fingerprint,
          );
        }
      },
    );
    if (!peer)
      throw new FederationSignatureError("unknown_key", "No peer signed this request.", verified.keyId);
    const at = new Date();
    await touchPeer(deps.database.db, peer.id, at);
    return { ...peer, last_seen_at: at };
  } catch (err) {
    if (err instanceof FederationSignatureError) await reportRefusal(deps, raw, err, peer);
    throw err;
  }
}

/**
 * Verifies a peering request, signed by the key in its own body (the sender is not a peer yet:
 * the signature proves it holds the key it asks to be recorded with).
 */
export async function verifySelfSignedRequest(
  deps: SignedRequestDeps,
  raw: RawRequest,
  keyId: string,
  publicKey: KeyObject,
): Promise<VerifiedSignature> {
  try {
    return await verifyAndRemember(
      deps,
      raw,
      async (named) => (named === keyId ? publicKey : undefined),
      () => undefined,
    ).catch((err: unknown) => {
      if (err instanceof FederationSignatureError && err.reason === "unknown_key")
        throw new FederationSignatureError(
          "unknown_key",
          `The peering request is signed with the key ${err.keyId ?? "(none)"}, not with the key of the profile it sends (${keyId}).`,
          err.keyId,
        );
      throw err;
    });
  } catch (err) {
    if (err instanceof FederationSignatureError) await reportRefusal(deps, raw, err, undefined);
    throw err;
  }
}
