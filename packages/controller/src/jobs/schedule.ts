import type { Schema } from "@layerboom/db";
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { nextCron, parseCron, previousCron } from "./cron.js";
import { enqueueJob } from "./enqueue.js";

/** A recurring job: every occurrence is enqueued once across all replicas. */
export interface ScheduleDefinition {
  /** Unique across the cluster; each occurrence's unique key is `name@<ISO time>`. */
  name: string;
  /** The task each occurrence runs. */
  task: string;
  /** A fixed interval, counted from the Unix epoch so that every replica names the same occurrences. */
  everyMs?: number;
  /** Or a five-field cron expression in UTC (cron.ts). */
  cron?: string;
  /** Given to every occurrence, with `occurrence` (its ISO time) added. */
  payload?: Record<string, unknown>;
}

/** A schedule with its occurrence arithmetic, checked once at start-up. */
export interface CompiledSchedule {
  readonly name: string;
  readonly task: string;
  readonly payload: Record<string, unknown>;
  /** The newest occurrence at or before `now`. */
  latest(now: Date): Date;
  /** The first occurrence after `after`. */
  next(after: Date): Date;
}

/** Checks a schedule and compiles its arithmetic; throws on a bad interval or expression. */
export function compileSchedule(definition: ScheduleDefinition): CompiledSchedule {
  const { name, task, payload = {} } = definition;
  if (!name || name.includes("@"))
    throw new RangeError(`schedule name "${name}" must be non-empty and without @`);
  if ((definition.everyMs === undefined) === (definition.cron === undefined))
    throw new RangeError(`schedule ${name} needs exactly one of everyMs and cron`);
  if (definition.everyMs !== undefined) {
    const every = definition.everyMs;
    if (!Number.isSafeInteger(every) || every < 1)
      throw new RangeError(`schedule ${name}: everyMs must be a positive integer`);
    return {
      name,
      task,
      payload,
      latest: (now) => new Date(Math.floor(now.getTime() / every) * every),
      next: (after) => new Date((Math.floor(after.getTime() / every) + 1) * every),
    };
  }
  const cron = parseCron(definition.cron!);
  return {
    name,
    task,
    payload,
    latest: (now) => previousCron(cron, now),
    next: (after) => nextCron(cron, after),
  };
}

/** The unique key of one occurrence of a schedule. */
export function occurrenceKey(name: string, occurrence: Date): string {
  return `${name}@${occurrence.toISOString()}`;
}

/**
 * Records a schedule the first time any replica sees it, as if its newest past occurrence had
 * run: a new schedule starts with its next occurrence rather than firing at once on every
 * fresh database. A schedule already known keeps its row, so an occurrence missed while no
 * controller ran is caught up by {@link enqueueOccurrence}.
 */
export async function registerSchedule(
  db: Kysely<Schema>,
  schedule: CompiledSchedule,
  now: Date,
): Promise<void> {
  await db
    .insertInto("job_schedules")
    .values({ name: schedule.name, last_occurrence: schedule.latest(now) })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
}

/**
 * Enqueues `occurrence` of the schedule unless it (or a later one) already was. Replicas race
 * on the schedule's row: the UPDATE that moves last_occurrence forward wins, and the losers
 * wait for its lock and then find nothing to move. The job is inserted in the same
 * transaction, and its unique key guards once more. Returns the job id when this call enqueued it.
 */
export async function enqueueOccurrence(
  db: Kysely<Schema>,
  schedule: CompiledSchedule,
  occurrence: Date,
): Promise<number | undefined> {
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .insertInto("job_schedules")
      .values({ name: schedule.name, last_occurrence: occurrence })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet({ last_occurrence: occurrence, updated_at: sql<Date>`now()` })
          .where("job_schedules.last_occurrence", "<", occurrence),
      )
      .returning("name")
      .executeTakeFirst();
    if (!moved) return undefined;
    return enqueueJob(trx, {
      task: schedule.task,
      payload: { ...schedule.payload, occurrence: occurrence.toISOString() },
      uniqueKey: occurrenceKey(schedule.name, occurrence),
      runAt: occurrence,
    });
  });
}
