-- A server captured into an image (issue 15 part 3, docs/images.md "Capture"). The capture is an
-- image job of kind 'capture'; its image row is written at once as 'pending' and becomes
-- 'available' in the transaction that ends the job, or is marked deleted with the job's failure.
ALTER TABLE image_jobs DROP CONSTRAINT image_jobs_kind_check;
ALTER TABLE image_jobs ADD CONSTRAINT image_jobs_kind_check CHECK (kind IN ('import', 'export', 'capture'));

-- The host's part of a capture: the agent copies the disk ('copying'), uploads the copy into the
-- job's folder ('uploaded', with how it was copied, its size and sha256), or reports 'failed'.
-- A capture is in its host's desired set while it is 'copying' and its job is queued or running.
CREATE TABLE image_captures (
  job_id      text PRIMARY KEY REFERENCES image_jobs (id),
  server_id   text NOT NULL REFERENCES servers (id),
  host_id     text NOT NULL REFERENCES hosts (id),
  state       text NOT NULL DEFAULT 'copying' CHECK (state IN ('copying', 'uploaded', 'failed')),
  method      text CHECK (method IN ('qemu-img-convert', 'blockdev-backup', 'guest-fsfreeze')),
  size_bytes  bigint,
  sha256      text,
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX image_captures_host_idx ON image_captures (host_id) WHERE state = 'copying';
CREATE INDEX image_captures_server_idx ON image_captures (server_id);
