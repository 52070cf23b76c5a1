-- Image import and export jobs (docs/images.md, "Jobs"): durable, retried after a crash,
-- and never leaving a half-registered image (the image row is written with the job's success).
CREATE TABLE image_jobs (
  id              text PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts (id),
  user_id         text REFERENCES users (id),
  kind            text NOT NULL CHECK (kind IN ('import', 'export')),
  state           text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  -- fetch, inspect, convert, checksum, catalog (import); export (export)
  stage           text NOT NULL DEFAULT 'queued',
  bytes_done      bigint NOT NULL DEFAULT 0,
  bytes_total     bigint,
  percent         integer NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
  spec            jsonb NOT NULL,
  image_id        text REFERENCES images (id),
  result          jsonb,
  error           jsonb,
  attempts        integer NOT NULL DEFAULT 0,
  lease_until     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX image_jobs_account_idx ON image_jobs (account_id, id);
CREATE INDEX image_jobs_runnable_idx ON image_jobs (state, lease_until) WHERE state IN ('queued', 'running');

-- What the pipeline did to make an image (fetch, verify, unpack, convert, ...), in order.
ALTER TABLE images ADD COLUMN pipeline jsonb NOT NULL DEFAULT '[]';
