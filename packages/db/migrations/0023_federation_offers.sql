-- Federation offers (issue 17, docs/federation.md "Offers"): what an installation offers a peer
-- (its sites and plans at a wholesale price), each change an immutable, numbered version signed
-- with the installation's key; what it received from its peers, every version kept with the
-- signature that proves it; and the markups the receiving provider sells them at.

-- An offer this installation makes to one peer. Its versions are below; `current_version` is the
-- newest, `pushed_version` the newest the peer accepted when it was pushed (0: none yet).
CREATE TABLE federation_offers_made (
  id              text PRIMARY KEY,
  peer_id         text NOT NULL UNIQUE REFERENCES federation_peers (id),
  current_version integer NOT NULL DEFAULT 0 CHECK (current_version >= 0),
  pushed_version  integer NOT NULL DEFAULT 0 CHECK (pushed_version >= 0),
  pushed_at       timestamptz,
  -- Why the last push failed ('' when it did not): a pull by the peer recovers it.
  push_error      text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One version of an offer made, never changed: the document exactly as signed, and its signature.
CREATE TABLE federation_offer_made_versions (
  offer_id   text NOT NULL REFERENCES federation_offers_made (id),
  version    integer NOT NULL CHECK (version > 0),
  document   text NOT NULL,
  signature  text NOT NULL,
  created_by text REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (offer_id, version)
);

-- An offer received from a peer (one per peer): `current_version` is the newest accepted; an
-- older or equal version is refused as a replay.
CREATE TABLE federation_offers_received (
  id              text PRIMARY KEY,
  peer_id         text NOT NULL UNIQUE REFERENCES federation_peers (id),
  remote_offer_id text NOT NULL,
  current_version integer NOT NULL CHECK (current_version > 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every version received, never changed: the document's exact bytes and the peer's Ed25519
-- signature over them (with the key id that made it), so what the peer offered can be proven
-- later. The id is what a server started at a partner site pins its price to.
CREATE TABLE federation_offer_received_versions (
  id           text PRIMARY KEY,
  offer_id     text NOT NULL REFERENCES federation_offers_received (id),
  version      integer NOT NULL CHECK (version > 0),
  document     text NOT NULL,
  signature    text NOT NULL,
  key_id       text NOT NULL,
  received_via text NOT NULL CHECK (received_via IN ('push', 'pull')),
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (offer_id, version)
);

-- The receiving provider's markup on an offer: for the whole offer (plan_id '') or one of the
-- peer's plans, which wins. A percentage in basis points (2500 = 25 %), or a fixed amount per
-- hour and per month in the offer's currency.
CREATE TABLE federation_offer_markups (
  offer_id          text NOT NULL REFERENCES federation_offers_received (id),
  plan_id           text NOT NULL DEFAULT '',
  kind              text NOT NULL CHECK (kind IN ('percent', 'fixed')),
  basis_points      integer CHECK (basis_points >= 0),
  hourly_minor      bigint CHECK (hourly_minor >= 0),
  monthly_cap_minor bigint CHECK (monthly_cap_minor >= hourly_minor),
  currency          text,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (offer_id, plan_id),
  CHECK (
    (kind = 'percent' AND basis_points IS NOT NULL AND hourly_minor IS NULL)
    OR (kind = 'fixed' AND basis_points IS NULL AND hourly_minor IS NOT NULL
        AND monthly_cap_minor IS NOT NULL AND currency IS NOT NULL)
  )
);
