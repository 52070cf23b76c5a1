-- Federation, its first slice (issue 17, docs/federation.md): this installation's identity, the
-- one-time invitations that make peers, the peers, and the nonces of signed requests already seen.

-- This installation's Ed25519 identity and public profile: one row, made at first start and kept.
-- The private key is sealed with the controller's secret key (AES-256-GCM, bound to this row),
-- never stored in plain; the profile fields are set by a provider admin.
CREATE TABLE federation_identity (
  id                 smallint PRIMARY KEY CHECK (id = 1),
  -- The raw 32-byte Ed25519 public key, base64url.
  public_key         text NOT NULL,
  -- 'sha256:' and the base64url SHA-256 of the raw public key: the key's id in signatures, and
  -- what people compare when they approve a peering.
  fingerprint        text NOT NULL,
  private_key_sealed text NOT NULL,
  name               text NOT NULL DEFAULT '',
  -- The base URL peers reach this installation at (scheme, host, port); null until configured.
  url                text,
  jurisdictions      jsonb NOT NULL DEFAULT '[]',
  contact            text NOT NULL DEFAULT '',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- A one-time invitation to peer: the token is shown once to the provider admin who issued it,
-- and only its SHA-256 is kept, so a leaked table lets nobody peer.
CREATE TABLE federation_invitations (
  id          text PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  note        text NOT NULL DEFAULT '',
  created_by  text REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  redeemed_at timestamptz
);

-- Another installation this one peers with. 'pending' until a provider admin here approves it
-- (having compared the fingerprint), then 'active'; 'suspended' and 'revoked' peers' signed
-- requests are refused. 'invited': the peer redeemed our invitation; 'joined': we redeemed theirs.
CREATE TABLE federation_peers (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  url           text NOT NULL,
  public_key    text NOT NULL,
  fingerprint   text NOT NULL,
  jurisdictions jsonb NOT NULL DEFAULT '[]',
  contact       text NOT NULL DEFAULT '',
  state         text NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'active', 'suspended', 'revoked')),
  origin        text NOT NULL CHECK (origin IN ('invited', 'joined')),
  invitation_id text REFERENCES federation_invitations (id),
  approved_by   text REFERENCES users (id) ON DELETE SET NULL,
  approved_at   timestamptz,
  last_seen_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- A signed request names its key by fingerprint: one indexed lookup finds the peer. A key peers
-- once; a revoked peer stays revoked (its row keeps the key refused).
CREATE UNIQUE INDEX federation_peers_fingerprint ON federation_peers (fingerprint);

-- Nonces of signed requests seen, per key, until their request's window has passed: a second
-- insert of the same pair is a replay. One indexed insert per request; expired rows are swept.
CREATE TABLE federation_nonces (
  fingerprint text NOT NULL,
  nonce       text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (fingerprint, nonce)
);
CREATE INDEX federation_nonces_expires ON federation_nonces (expires_at);
