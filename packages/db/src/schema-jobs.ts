import type { ColumnType, Generated, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** One piece of durable work for the controller's job runner (migration 0016, docs/jobs.md). */
export interface JobsTable {
  id: Generated<number>;
  /** The name of the task whose handler runs it. */
  task: string;
  payload: ColumnType<unknown, string | undefined, string>;
  /** At most one job per key (a scheduled occurrence, one image job, one issuer's month). */
  unique_key: string | null;
  /** Jobs of one group (an account) are claimed fairly against other groups' jobs. */
  group_key: string | null;
  /** At most this many jobs of the group run at once. */
  group_limit: number | null;
  state: Generated<"queued" | "running" | "succeeded" | "failed">;
  run_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Claims so far, counted when claimed. */
  attempts: Generated<number>;
  /** Null: the task's default. */
  max_attempts: number | null;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** A recurring schedule's newest enqueued occurrence. */
export interface JobSchedulesTable {
  name: string;
  last_occurrence: Timestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type JobRow = Selectable<JobsTable>;
