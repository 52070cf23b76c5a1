-- Server backups, the first plan add-on (docs/backups.md).

-- Whether the customer pays for daily backups of this server.
ALTER TABLE servers ADD COLUMN backups_enabled boolean NOT NULL DEFAULT false;
-- A restore request, level-triggered like reboot_seq: the agent applies each increment once,
-- replacing the server's disk with a copy of restore_backup_id.
ALTER TABLE servers ADD COLUMN restore_seq integer NOT NULL DEFAULT 0;
ALTER TABLE servers ADD COLUMN restore_backup_id text;

-- What backups cost: this percentage of the server's own charge (and of its monthly cap).
ALTER TABLE plans ADD COLUMN backups_price_percent integer NOT NULL DEFAULT 20
  CHECK (backups_price_percent BETWEEN 0 AND 100);

-- A backup of a server's disk, kept as a file on the server's host. 'pending' until the agent
-- reports the file complete; 'deleting' until the agent reports it gone, then the row goes.
CREATE TABLE backups (
  id            text PRIMARY KEY,
  server_id     text NOT NULL REFERENCES servers (id),
  account_id    text NOT NULL REFERENCES accounts (id),
  host_id       text NOT NULL REFERENCES hosts (id),
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'available', 'failed', 'deleting')),
  kind          text NOT NULL CHECK (kind IN ('scheduled', 'manual')),
  size_bytes    bigint,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  error         text
);
CREATE INDEX backups_server ON backups (server_id, requested_at);
CREATE INDEX backups_host ON backups (host_id) WHERE state IN ('pending', 'available');

-- A paid add-on's life on a server, like usage_intervals: opened and closed in the transaction
-- that turns it on or off (or deletes the server); at most one open interval per server and kind.
CREATE TABLE addon_intervals (
  id          text PRIMARY KEY,
  server_id   text NOT NULL REFERENCES servers (id),
  account_id  text NOT NULL REFERENCES accounts (id),
  plan_id     text NOT NULL REFERENCES plans (id),
  kind        text NOT NULL CHECK (kind IN ('backups')),
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX addon_intervals_one_open ON addon_intervals (server_id, kind) WHERE ended_at IS NULL;
CREATE INDEX addon_intervals_account ON addon_intervals (account_id, started_at);

-- Invoices gain a line kind for add-ons.
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_kind_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_kind_check
  CHECK (kind IN ('usage', 'discount', 'energy', 'tax', 'credit', 'backups'));
