-- Images: quotas per account, uploads counted while they stream, and a fair image-job queue
-- (issue 12; docs/security.md "Files, blobs and quotas", docs/images.md).

-- A provider admin's overrides of the default image quotas for one account; a null column
-- means "the controller's default". Absent row: every default.
CREATE TABLE image_quotas (
  account_id          text PRIMARY KEY REFERENCES accounts (id),
  -- Images the account owns (not deleted), counting imports still queued or running.
  images              integer CHECK (images >= 0),
  -- Sum of size_bytes of the account's images (not deleted).
  image_bytes         bigint CHECK (image_bytes >= 0),
  -- Image jobs queued or running at once.
  image_jobs          integer CHECK (image_jobs >= 0),
  -- Image jobs one account may have running at once, across every runner.
  image_jobs_running  integer CHECK (image_jobs_running >= 1),
  -- Uploads streaming at once.
  uploads             integer CHECK (uploads >= 0),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- An upload in progress. No job row exists until every byte is on disk, so concurrent uploads
-- are counted here. The lease is renewed while bytes arrive; a controller that dies mid-upload
-- leaves a row that stops counting once its lease has run out.
CREATE TABLE image_uploads (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id),
  lease_until  timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX image_uploads_account_idx ON image_uploads (account_id, lease_until);

-- When a runner last claimed the job: the fair queue serves first the account whose latest
-- job started longest ago.
ALTER TABLE image_jobs ADD COLUMN started_at timestamptz;
CREATE INDEX image_jobs_account_started_idx ON image_jobs (account_id, started_at);

-- Export results named the controller's absolute file path; the file is now always
-- `export.<format>` in the job's folder, so the path is dropped from results already stored.
UPDATE image_jobs SET result = result - 'path' WHERE kind = 'export' AND result IS NOT NULL;
