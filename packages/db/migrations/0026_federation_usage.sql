-- Usage and settlement (issue 17, docs/federation.md "Usage and settlement"): B reports to A, per
-- remote server and closed hour, a signed usage record numbered per peer without gaps; A keeps
-- each with B's signature, acknowledges the highest contiguous number, and bills its customers
-- from them; B's invoice to A is the sum of the same records.

-- B's side. Where the numbering and the push to a peer stand: the last number made, and the
-- highest contiguous number the peer acknowledged (everything above is sent again).
CREATE TABLE federation_usage_cursors (
  peer_id       text PRIMARY KEY REFERENCES federation_peers (id),
  last_seq      bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  acked_through bigint NOT NULL DEFAULT 0 CHECK (acked_through >= 0),
  pushed_at     timestamptz,
  -- Why the last push failed ('' when it did not).
  push_error    text NOT NULL DEFAULT '',
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- B's side. One record per served server and closed hour, never changed: the document exactly as
-- signed, its signature, and what the month close reads (period, currency, wholesale cost).
CREATE TABLE federation_usage_records_made (
  peer_id              text NOT NULL REFERENCES federation_peers (id),
  seq                  bigint NOT NULL CHECK (seq > 0),
  server_id            text NOT NULL REFERENCES servers (id),
  hour_start           timestamptz NOT NULL,
  period               text NOT NULL,
  currency             text NOT NULL,
  wholesale_cost_minor bigint NOT NULL CHECK (wholesale_cost_minor >= 0),
  document             text NOT NULL,
  signature            text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (peer_id, seq),
  UNIQUE (server_id, hour_start)
);
CREATE INDEX federation_usage_records_made_period ON federation_usage_records_made (peer_id, period);

-- A's side. Every record received from a peer, by its number, with the peer's signature over its
-- exact bytes; the columns are read from the document for the month close and the report.
CREATE TABLE federation_usage_records_received (
  peer_id              text NOT NULL REFERENCES federation_peers (id),
  seq                  bigint NOT NULL CHECK (seq > 0),
  -- B's id for the server (the record's vm_uuid), and A's (the create's idempotency key).
  remote_server_id     text NOT NULL,
  local_server_id      text NOT NULL,
  hour_start           timestamptz NOT NULL,
  period               text NOT NULL,
  currency             text NOT NULL,
  billed_ms            bigint NOT NULL CHECK (billed_ms >= 0),
  wholesale_cost_minor bigint NOT NULL CHECK (wholesale_cost_minor >= 0),
  energy_wh            double precision NOT NULL,
  carbon_g             double precision,
  document             text NOT NULL,
  signature            text NOT NULL,
  received_via         text NOT NULL CHECK (received_via IN ('push', 'pull')),
  received_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (peer_id, seq)
);
CREATE INDEX federation_usage_records_received_period ON federation_usage_records_received (peer_id, period);
CREATE INDEX federation_usage_records_received_server ON federation_usage_records_received (local_server_id, period);

-- A's side. A record refused because its number is held with other content (or its signature or
-- shape is wrong): kept as evidence, shown in the reconciliation report.
CREATE TABLE federation_usage_flags (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  peer_id     text NOT NULL REFERENCES federation_peers (id),
  seq         bigint,
  reason      text NOT NULL,
  document    text NOT NULL,
  signature   text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX federation_usage_flags_peer ON federation_usage_flags (peer_id, received_at);

-- A's invoices bill a remote server on a line of its own.
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_kind_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_kind_check
  CHECK (kind IN ('usage', 'discount', 'energy', 'tax', 'credit', 'backups', 'ipv4', 'transfer', 'image-storage', 'remote-server'));
