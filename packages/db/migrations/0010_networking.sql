-- Public networking: IPv4 pools per site, the addresses servers hold, the extra-IPv4 add-on and
-- metered transfer (docs/networking.md).

-- A range of IPv4 addresses a site hands out, on a bridge every host of the site has.
CREATE TABLE ip_pools (
  id             text PRIMARY KEY,
  site_id        text NOT NULL REFERENCES sites (id),
  -- The network in CIDR form (203.0.113.0/24); addresses are given to guests with its prefix.
  cidr           text NOT NULL,
  gateway        text NOT NULL,
  -- The part of the network Layerboom may hand out, inclusive.
  first_address  text NOT NULL,
  last_address   text NOT NULL,
  bridge         text NOT NULL,
  -- Resolver addresses for the guests.
  nameservers    jsonb NOT NULL DEFAULT '[]',
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ip_pools_site ON ip_pools (site_id);

-- Who holds which address. A row is written in the transaction that gives the address to a
-- server and kept after release (released_at) for a quarantine, so that an address a guest may
-- still answer on is not handed to another customer at once.
CREATE TABLE ip_addresses (
  pool_id        text NOT NULL REFERENCES ip_pools (id),
  address        text NOT NULL,
  server_id      text NOT NULL REFERENCES servers (id),
  account_id     text NOT NULL REFERENCES accounts (id),
  role           text NOT NULL CHECK (role IN ('primary', 'extra')),
  allocated_at   timestamptz NOT NULL DEFAULT now(),
  released_at    timestamptz,
  PRIMARY KEY (pool_id, address)
);
CREATE INDEX ip_addresses_server ON ip_addresses (server_id) WHERE released_at IS NULL;

-- Bridges each host's agent may attach servers to.
ALTER TABLE hosts ADD COLUMN bridges jsonb NOT NULL DEFAULT '[]';

-- What an extra address and transfer beyond the plan's allowance (transfer_gib) cost.
ALTER TABLE plans ADD COLUMN extra_ipv4_monthly_minor integer NOT NULL DEFAULT 300
  CHECK (extra_ipv4_monthly_minor >= 0);
ALTER TABLE plans ADD COLUMN transfer_overage_minor_per_gib integer NOT NULL DEFAULT 1
  CHECK (transfer_overage_minor_per_gib >= 0);

-- Add-on intervals name what they are for when a server can have several (an address).
ALTER TABLE addon_intervals ADD COLUMN ref text NOT NULL DEFAULT '';
ALTER TABLE addon_intervals DROP CONSTRAINT addon_intervals_kind_check;
ALTER TABLE addon_intervals ADD CONSTRAINT addon_intervals_kind_check CHECK (kind IN ('backups', 'ipv4'));
DROP INDEX addon_intervals_one_open;
CREATE UNIQUE INDEX addon_intervals_one_open ON addon_intervals (server_id, kind, ref) WHERE ended_at IS NULL;

-- Bytes each server sent and received through its tap, per hour (an energy sample's bytes go to
-- the hour the sample ends in). Written with the energy buckets, under the same cursor.
CREATE TABLE server_transfer (
  server_id      text NOT NULL,
  hour_start     timestamptz NOT NULL,
  host_id        text NOT NULL,
  out_bytes      bigint NOT NULL CHECK (out_bytes >= 0),
  in_bytes       bigint NOT NULL CHECK (in_bytes >= 0),
  PRIMARY KEY (server_id, hour_start)
);

ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_kind_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_kind_check
  CHECK (kind IN ('usage', 'discount', 'energy', 'tax', 'credit', 'backups', 'ipv4', 'transfer'));
