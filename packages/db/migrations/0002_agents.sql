-- Hosts run agents; images carry the files an agent fetches; servers record what the agent saw.

ALTER TABLE hosts ADD COLUMN hostname text NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN agent_version text NOT NULL DEFAULT '';
ALTER TABLE hosts ADD COLUMN connected_at timestamptz;
-- VMs on the host that no server owns, as the agent last reported them (see docs/agent-protocol.md).
ALTER TABLE hosts ADD COLUMN orphans jsonb NOT NULL DEFAULT '[]';
CREATE INDEX hosts_heartbeat_idx ON hosts (state, last_heartbeat_at);

-- An image's disk is `sha256`/`size_bytes`; these describe an optional direct-boot kernel.
ALTER TABLE images ADD COLUMN kernel_sha256 text;
ALTER TABLE images ADD COLUMN kernel_size_bytes bigint;
ALTER TABLE images ADD COLUMN initrd_sha256 text;
ALTER TABLE images ADD COLUMN initrd_size_bytes bigint;
ALTER TABLE images ADD COLUMN kernel_append text;

-- The generation an observation answered; it lets the API tell "done" from "not yet seen".
ALTER TABLE servers ADD COLUMN observed_generation integer NOT NULL DEFAULT 0;
ALTER TABLE servers ADD COLUMN observed_error text;
