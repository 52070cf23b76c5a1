import type { ColumnType } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type JsonList = ColumnType<string[], string | undefined, string>;

/** The states of a peer (migration 0019, docs/federation.md). */
export type FederationPeerState = "pending" | "active" | "suspended" | "revoked";

/** This installation's Ed25519 identity and public profile: one row, id 1. */
export interface FederationIdentityTable {
  id: number;
  /** The raw Ed25519 public key, base64url. */
  public_key: string;
  /** `sha256:` and the base64url SHA-256 of the raw public key. */
  fingerprint: string;
  /** The private key (PKCS#8), sealed with the controller's secret key. */
  private_key_sealed: string;
  name: ColumnType<string, string | undefined, string>;
  url: string | null;
  jurisdictions: JsonList;
  contact: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A one-time invitation to peer; only the token's SHA-256 is kept. */
export interface FederationInvitationsTable {
  id: string;
  token_hash: string;
  note: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  redeemed_at: Timestamp | null;
}

/** Another installation this one peers with. */
export interface FederationPeersTable {
  id: string;
  name: string;
  url: string;
  public_key: string;
  fingerprint: string;
  jurisdictions: JsonList;
  contact: ColumnType<string, string | undefined, string>;
  state: ColumnType<FederationPeerState, FederationPeerState | undefined, FederationPeerState>;
  /** `invited`: the peer redeemed our invitation; `joined`: we redeemed theirs. */
  origin: "invited" | "joined";
  invitation_id: string | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  last_seen_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** B's side: the customer account that holds the servers run for this peer (migration 0025). */
  represented_by_account_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A nonce of a signed request already seen, kept until its request's window has passed. */
export interface FederationNoncesTable {
  fingerprint: string;
  nonce: string;
  expires_at: Timestamp;
}

/** An offer this installation makes to one peer (migration 0023, docs/federation.md "Offers"). */
export interface FederationOffersMadeTable {
  id: string;
  peer_id: string;
  current_version: ColumnType<number, number | undefined, number>;
  /** The newest version the peer accepted on a push; 0 when none. */
  pushed_version: ColumnType<number, number | undefined, number>;
  pushed_at: Timestamp | null;
  push_error: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One immutable version of an offer made: the document as signed, and its signature. */
export interface FederationOfferMadeVersionsTable {
  offer_id: string;
  version: number;
  document: string;
  signature: string;
  created_by: string | null;
  created_at: CreatedAt;
}

/** An offer received from a peer, one per peer. */
export interface FederationOffersReceivedTable {
  id: string;
  peer_id: string;
  remote_offer_id: string;
  current_version: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Every version of an offer received, with the peer's signature over its exact bytes. */
export interface FederationOfferReceivedVersionsTable {
  id: string;
  offer_id: string;
  version: number;
  document: string;
  signature: string;
  key_id: string;
  received_via: "push" | "pull";
  received_at: CreatedAt;
}

/** A markup on a received offer: offer-wide (plan_id '') or for one of the peer's plans. */
export interface FederationOfferMarkupsTable {
  offer_id: string;
  plan_id: string;
  kind: "percent" | "fixed";
  basis_points: number | null;
  hourly_minor: number | null;
  monthly_cap_minor: number | null;
  currency: string | null;
  updated_at: UpdatedAt;
}

/** B's side: a server this installation runs for a peer (migration 0025, docs/federation.md "Remote servers"). */
export interface FederationServedServersTable {
  server_id: string;
  peer_id: string;
  /** The peer's id for the server, sent as the create's idempotency key. */
  idempotency_key: string;
  /** SHA-256 of the create's parameters: the same key with others is a mismatch. */
  request_digest: string;
  offer_version: number;
  currency: string;
  wholesale_hourly_minor: ColumnType<number, number | bigint, number | bigint>;
  wholesale_monthly_cap_minor: ColumnType<number, number | bigint, number | bigint>;
  /** Bumped on every change the peer should hear of; orders the state messages. */
  state_version: ColumnType<number, number | undefined, number>;
  /** The newest state_version the peer acknowledged. */
  pushed_version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
}

/** B's side: an image a peer sent, imported once per blob digest. */
export interface FederationServedImagesTable {
  peer_id: string;
  sha256: string;
  image_id: string | null;
  job_id: string | null;
  created_at: CreatedAt;
}

/** The desired states of a remote server, as of a local one. */
export type RemoteServerDesiredState = "running" | "stopped" | "deleted";

/** A's side: a customer's server at a partner's site; its id is the create's idempotency key. */
export interface RemoteServersTable {
  id: string;
  account_id: string;
  name: string;
  peer_id: string;
  offer_version_id: string;
  remote_site_id: string;
  remote_plan_id: string;
  image_id: string;
  currency: string;
  retail_hourly_minor: ColumnType<number, number | bigint, number | bigint>;
  retail_monthly_cap_minor: ColumnType<number, number | bigint, number | bigint>;
  wholesale_hourly_minor: ColumnType<number, number | bigint, number | bigint>;
  wholesale_monthly_cap_minor: ColumnType<number, number | bigint, number | bigint>;
  /** A reseller's customer's: the reseller, and the provider's retail price it pays (migration 0027). */
  reseller_id: ColumnType<string | null, string | null | undefined, string | null>;
  reseller_cost_hourly_minor: ColumnType<
    number | null,
    number | bigint | null | undefined,
    number | bigint | null
  >;
  reseller_cost_monthly_cap_minor: ColumnType<
    number | null,
    number | bigint | null | undefined,
    number | bigint | null
  >;
  desired_state: RemoteServerDesiredState;
  remote_server_id: string | null;
  /** The partner's observed state; `creating` until the partner answered the create. */
  remote_state: ColumnType<string, string | undefined, string>;
  remote_addresses: ColumnType<unknown[], string | undefined, string>;
  remote_state_version: ColumnType<number, number | undefined, number>;
  last_seen_at: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  deleted_at: Timestamp | null;
}
