import { AuthenticationError, ConflictError, DomainError, InvalidInputError } from "@layerboom/core";

/**
 * Why a federation request's signature was refused. Each is a 401 whose details name it, so
 * the peer's operator can tell a clock problem (`stale`, `future`) from a replay or an attack.
 */
export type SignatureRefusal =
  | "unsigned"
  | "malformed"
  | "unknown_key"
  | "bad_signature"
  | "digest_mismatch"
  | "stale"
  | "future"
  | "replayed"
  | "peer_pending"
  | "peer_suspended"
  | "peer_revoked";

/** A signed federation request that is not accepted (RFC 9421 / RFC 9530 checks, or the peer's state). */
export class FederationSignatureError extends AuthenticationError {
  constructor(
    readonly reason: SignatureRefusal,
    message: string,
    /** The key the request named, when it named one. */
    readonly keyId?: string,
  ) {
    super(message, { reason, ...(keyId ? { key_id: keyId } : {}) });
  }
}

/** Why an invitation could not be redeemed: unknown (or another installation's), used, or expired. */
export type InvitationRefusal = "unknown" | "used" | "expired";

/** An invitation token that does not open a peering here. */
export class InvitationRefusedError extends AuthenticationError {
  constructor(
    readonly refusal: InvitationRefusal,
    message: string,
  ) {
    super(message, { reason: `invitation_${refusal}` });
  }
}

/** This installation has no public profile yet (name and URL), so it cannot peer. */
export class ProfileNotConfiguredError extends ConflictError {
  constructor(what: string) {
    super(
      `Set this installation's federation profile (name and URL) before ${what}: layerboom federation profile --name … --url …`,
      { reason: "federation_profile_missing" },
    );
  }
}

/** A peer's answer or profile that cannot be trusted or used. */
export class PeerAnswerError extends InvalidInputError {
  /** `field`: what the caller gave that led there (the peer's URL, or the profile it sent). */
  constructor(message: string, field = "url") {
    super(field, message);
  }
}

/** Why a partner refuses a remote server's create (docs/federation.md, "Remote servers: the protocol"). */
export type RemoteCreateRefusal =
  "offer_version_stale" | "not_offered" | "image_not_ready" | "offer_capacity" | "idempotency_mismatch";

/** A create a peer sent that this installation refuses: its code is the contract's reason. */
export class RemoteCreateRefusedError extends DomainError {
  constructor(
    readonly code: RemoteCreateRefusal,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { reason: code, ...details });
  }
}
