-- One durable job runner for the controller (docs/jobs.md).
--
-- Image jobs, webhook deliveries, month closes, the backup schedule and the periodic sweeps
-- used to be three hand-made queues and a handful of timers, and the timers ran on every
-- replica at once. Now each piece of work is a row here: claimed with FOR UPDATE SKIP LOCKED
-- under a lease (locked_until) that the worker renews while it runs, so a worker killed with
-- SIGKILL leaves a row that another worker takes over once the lease has run out.

CREATE TABLE jobs (
  id            bigserial PRIMARY KEY,
  -- The name of the handler that runs it (image-jobs.run, webhooks.deliver, ...).
  task          text NOT NULL CHECK (length(task) BETWEEN 1 AND 100),
  payload       jsonb NOT NULL DEFAULT '{}',
  -- At most one row per key: a scheduled occurrence (backups.schedule@2026-12-07T10:00:00.000Z),
  -- the one job of an image job, one issuer's close of one month. NULLs never collide.
  unique_key    text UNIQUE,
  -- Jobs that carry a group (an account) are claimed fairly across groups, and at most
  -- group_limit of one group run at once.
  group_key     text,
  group_limit   integer CHECK (group_limit >= 1),
  state         text NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  run_at        timestamptz NOT NULL DEFAULT now(),
  -- Claims so far, counted when claimed: a worker that dies still used its attempt.
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- NULL: the task's own default.
  max_attempts  integer CHECK (max_attempts >= 1),
  -- Which runner holds the lease, and until when; the worker renews it while the job runs.
  locked_by     text,
  locked_until  timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  CHECK ((state = 'running') = (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);
-- What a poll and a claim read: due queued rows, and running rows whose lease ran out. Both
-- stop at now(), so retries waiting for later (a recovering receiver's backlog) cost nothing.
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE state = 'running';
-- Fairness across groups looks up each group's latest start and its running jobs.
CREATE INDEX jobs_group_idx ON jobs (group_key, started_at) WHERE group_key IS NOT NULL;
-- The purge of finished jobs.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('succeeded', 'failed');

-- Recurring schedules: the newest occurrence enqueued. Replicas race to move it forward; the
-- one whose UPDATE moves it enqueues the occurrence, in the same transaction.
CREATE TABLE job_schedules (
  name             text PRIMARY KEY,
  last_occurrence  timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Work queued before this migration moves onto the runner, with the attempts it has used. A job
-- some controller of the old version still holds waits for that lease to run out. (Upgrade by
-- stopping every controller first: old ones would still claim from image_jobs directly.)
INSERT INTO jobs (task, payload, unique_key, group_key, group_limit, run_at, attempts)
SELECT 'image-jobs.run', jsonb_build_object('image_job_id', j.id), 'image-jobs.run:' || j.id,
       j.account_id, coalesce(q.image_jobs_running, 1),
       greatest(j.created_at, coalesce(j.lease_until, j.created_at)), j.attempts
  FROM image_jobs j
  LEFT JOIN image_quotas q ON q.account_id = j.account_id
 WHERE j.state IN ('queued', 'running');

INSERT INTO jobs (task, payload, unique_key, run_at, attempts)
SELECT 'webhooks.deliver', jsonb_build_object('delivery_id', id), 'webhooks.deliver:' || id,
       next_attempt_at, attempts
  FROM webhook_deliveries
 WHERE state = 'pending';
