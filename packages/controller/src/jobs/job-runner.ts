import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Database, JobRow, Schema } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import { backoffMs } from "./backoff.js";
import { claimJobs, dueTasks } from "./claim.js";
import { compileSchedule, enqueueOccurrence, registerSchedule } from "./schedule.js";
import type { CompiledSchedule, ScheduleDefinition } from "./schedule.js";
import { completeJob, failJob, purgeFinishedJobs, releaseJob, renewLease, retryJob } from "./settle.js";
import type { HeldClaim } from "./settle.js";

/** What a handler gets besides its payload. */
export interface JobContext {
  readonly job: JobRow;
  /** This run's attempt, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** When the job runs again if this run throws; null when this is its last attempt. */
  readonly retryAt: Date | null;
  /** Aborted when the runner stops or the lease is lost: finish quickly, or throw. */
  readonly signal: AbortSignal;
  readonly log: FastifyBaseLogger;
  /**
   * Marks the job succeeded inside the handler's own transaction, so the job ends atomically
   * with its work. False when the lease was lost to another worker: roll back.
   */
  complete(trx: Kysely<Schema>): Promise<boolean>;
}

/** A kind of job: its handler, and how it is retried and run. */
export interface TaskDefinition<P = Record<string, unknown>> {
  /**
   * Does the work. Runs at least once per job, and again after a crash or a lost lease, so it
   * must be idempotent: re-check in the database what is already done. Throwing retries the
   * job after a backoff, until `maxAttempts`.
   */
  run: (payload: P, context: JobContext) => Promise<void>;
  /** Attempts before the job ends failed, a run that died counting as one. Default 5. */
  maxAttempts?: number;
  /** The first retry waits about `baseMs` (half to all of it), each further one twice as long, at most `maxMs`. Default 10 s, 1 h. */
  backoff?: { baseMs: number; maxMs: number };
  /** How long a claim holds without renewal; renewed every third of it while the job runs. Default 60 s. */
  leaseMs?: number;
  /** Jobs of this task this runner runs at once. Default 1. */
  concurrency?: number;
  /** Its jobs carry groups (enqueueJob's groupKey): claimed one at a time so no group passes its limit. */
  grouped?: boolean;
  /**
   * Called when a job is given up without running (its workers died `maxAttempts` times),
   * before it is marked failed; records the failure in the feature's own tables. Idempotent.
   */
  gaveUp?: (job: JobRow, reason: string) => Promise<void>;
}

type CompiledTask = Required<Omit<TaskDefinition, "gaveUp">> & Pick<TaskDefinition, "gaveUp">;

/** Options for {@link JobRunner}. */
export interface JobRunnerOptions {
  database: Database;
  logger: FastifyBaseLogger;
  /** How often to look for due jobs and schedules when nothing wakes the runner. Default 1 s. */
  pollMs?: number;
  /** How long stop() waits for running handlers before it leaves their jobs to the lease. Default 30 s. */
  stopTimeoutMs?: number;
  /** Finished jobs are deleted this long after they succeeded (default an hour) or failed (default 30 days). */
  keepSucceededMs?: number;
  keepFailedMs?: number;
  /** This runner's name in locked_by. Default: host, pid and a random suffix. */
  workerId?: string;
}

interface Running {
  task: string;
  abort: AbortController;
  done: Promise<void>;
}

/** The name of the built-in task that deletes old finished jobs. */
export const PURGE_TASK = "jobs.purge";

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The controller's one durable job runner (docs/jobs.md). Jobs are rows of `jobs`, claimed with
 * FOR UPDATE SKIP LOCKED under a lease that is renewed while the handler runs: replicas share
 * the work, and a job whose worker died (SIGKILL, power) is taken over once its lease runs
 * out. Failures retry with backoff up to the task's attempts, then end failed with the error.
 * Recurring schedules enqueue each occurrence once across replicas (job_schedules, unique keys).
 * Tasks and schedules are declared before {@link start}; a task this runner does not define is
 * never claimed by it, so a replica without a feature leaves that feature's jobs to the others.
 */
export class JobRunner {
  private readonly tasks = new Map<string, CompiledTask>();
  private readonly schedules: CompiledSchedule[] = [];
  private readonly nextTick = new Map<string, number>();
  private readonly running = new Set<Running>();
  private readonly pollMs: number;
  private readonly workerId: string;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private started = false;
  private stopping = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.pollMs = options.pollMs ?? 1_000;
    if (!Number.isFinite(this.pollMs) || this.pollMs <= 0)
      throw new RangeError("jobs.pollMs must be positive");
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    // A recurring occurrence stays deduplicated by job_schedules, not by its row: succeeded rows
    // are only there to be looked at, and the heartbeat sweep alone adds one every few seconds.
    const keepSucceededMs = options.keepSucceededMs ?? 3_600_000;
    const keepFailedMs = options.keepFailedMs ?? 30 * 24 * 3_600_000;
    this.define(PURGE_TASK, {
      run: async () => {
        const deleted = await purgeFinishedJobs(options.database.db, {
          succeededMs: keepSucceededMs,
          failedMs: keepFailedMs,
        });
        if (deleted > 0) options.logger.info({ deleted }, "finished jobs purged");
      },
    });
    this.schedule({ name: PURGE_TASK, task: PURGE_TASK, everyMs: 3_600_000 });
  }

  /** Declares a task: jobs whose `task` is `name` run `definition.run`. */
  define<P>(name: string, definition: TaskDefinition<P>): this {
    if (this.started) throw new Error(`task ${name} must be defined before the runner starts`);
    if (this.tasks.has(name)) throw new Error(`task ${name} is defined twice`);
    const task: CompiledTask = {
      run: definition.run as CompiledTask["run"],
      maxAttempts: definition.maxAttempts ?? 5,
      backoff: definition.backoff ?? { baseMs: 10_000, maxMs: 3_600_000 },
      leaseMs: definition.leaseMs ?? 60_000,
      concurrency: definition.concurrency ?? 1,
      grouped: definition.grouped ?? false,
      gaveUp: definition.gaveUp,
    };
    for (const [field, value] of Object.entries({
      maxAttempts: task.maxAttempts,
      leaseMs: task.leaseMs,
      concurrency: task.concurrency,
      backoffBaseMs: task.backoff.baseMs,
      backoffMaxMs: task.backoff.maxMs,
    }))
      if (!Number.isFinite(value) || value <= 0)
        throw new RangeError(`task ${name}: ${field} must be positive`);
    this.tasks.set(name, task);
    return this;
  }

  /** Declares a recurring schedule of a defined task. */
  schedule(definition: ScheduleDefinition): this {
    if (this.started)
      throw new Error(`schedule ${definition.name} must be declared before the runner starts`);
    if (this.schedules.some((s) => s.name === definition.name))
      throw new Error(`schedule ${definition.name} is declared twice`);
    this.schedules.push(compileSchedule(definition));
    return this;
  }

  /** Registers the schedules and starts polling. */
  async start(): Promise<void> {
    if (this.started) return;
    for (const s of this.schedules)
      if (!this.tasks.has(s.task))
        throw new Error(`schedule ${s.name} runs task ${s.task}, which is not defined`);
    this.started = true;
    const now = new Date();
    for (const s of this.schedules) {
      await registerSchedule(this.options.database.db, s, now);
      // Ticked at the first poll: an occurrence missed while no controller ran is enqueued then.
      this.nextTick.set(s.name, 0);
    }
    this.timer = setInterval(this.wake, this.pollMs).unref();
    this.wake();
  }

  /**
   * Stops claiming, asks running handlers to stop (their signal aborts) and waits for them up
   * to stopTimeoutMs. A handler that throws because it was stopped gives its attempt back: its
   * job is due again at once, for this or another controller. One still running after the
   * timeout keeps its job until the lease runs out, as if the process had died.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    for (const r of this.running) r.abort.abort(new Error("the controller is stopping"));
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running].map((r) => r.done)),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, this.options.stopTimeoutMs ?? 30_000);
      }),
    ]);
    clearTimeout(timeout);
  }

  /** Looks for work now instead of at the next poll (after enqueueing, say). */
  wake = (): void => {
    if (this.stopping || !this.started) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .catch((err: unknown) => this.options.logger.error({ err }, "job runner poll failed; it polls again"))
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.wake();
        }
      });
  };

  private runningOf(task: string): number {
    let n = 0;
    for (const r of this.running) if (r.task === task) n++;
    return n;
  }

  private async poll(): Promise<void> {
    await this.tickSchedules();
    const db = this.options.database.db;
    const withRoom = [...this.tasks].filter(([name, t]) => this.runningOf(name) < t.concurrency);
    const due = await dueTasks(
      db,
      withRoom.map(([name]) => name),
    );
    for (const name of due) {
      const task = this.tasks.get(name)!;
      for (;;) {
        const room = task.concurrency - this.runningOf(name);
        if (this.stopping || room <= 0) break;
        const claimed = await claimJobs(db, {
          task: name,
          workerId: this.workerId,
          leaseMs: task.leaseMs,
          limit: task.grouped ? 1 : room,
        });
        for (const job of claimed) this.launch(task, job);
        if (claimed.length === 0 || !task.grouped) break;
      }
    }
  }

  private async tickSchedules(): Promise<void> {
    const now = new Date();
    for (const s of this.schedules) {
      if (this.stopping || now.getTime() < (this.nextTick.get(s.name) ?? 0)) continue;
      try {
        const id = await enqueueOccurrence(this.options.database.db, s, s.latest(now));
        if (id !== undefined)
          this.options.logger.debug({ schedule: s.name, jobId: id }, "scheduled job enqueued");
        this.nextTick.set(s.name, s.next(now).getTime());
      } catch (err) {
        // Tried again at the next poll; the occurrence's unique key keeps it single.
        this.options.logger.error({ err, schedule: s.name }, "could not enqueue a scheduled job");
      }
    }
  }

  private launch(task: CompiledTask, job: JobRow): void {
    const entry: Running = { task: job.task, abort: new AbortController(), done: Promise.resolve() };
    entry.done = this.execute(task, job, entry.abort)
      .catch((err: unknown) =>
        // The job's row could not be settled (database gone): its lease runs out and it runs again.
        this.options.logger.error({ err, jobId: job.id, task: job.task }, "could not record a job's outcome"),
      )
      .finally(() => {
        this.running.delete(entry);
        this.wake();
      });
    this.running.add(entry);
  }

  private async execute(task: CompiledTask, job: JobRow, abort: AbortController): Promise<void> {
    const db = this.options.database.db;
    const claim: HeldClaim = { id: job.id, workerId: this.workerId, attempts: job.attempts };
    const maxAttempts = job.max_attempts ?? task.maxAttempts;
    const log = this.options.logger.child({ jobId: job.id, task: job.task, attempt: job.attempts });
    if (job.attempts > maxAttempts) {
      // Only a job whose lease ran out gets here: every earlier attempt died mid-run. Running it
      // again would likely kill this worker too.
      const reason = `gave up: the job was interrupted ${job.attempts - 1} times (its worker stopped before finishing)`;
      await task.gaveUp?.(job, reason);
      await failJob(db, claim, reason);
      log.warn(reason);
      return;
    }
    const delayMs =
      job.attempts < maxAttempts ? backoffMs(job.attempts, task.backoff.baseMs, task.backoff.maxMs) : null;
    let completedInHandler = false;
    const context: JobContext = {
      job,
      attempt: job.attempts,
      maxAttempts,
      retryAt: delayMs === null ? null : new Date(Date.now() + delayMs),
      signal: abort.signal,
      log,
      complete: async (trx) => (completedInHandler = await completeJob(trx, claim)),
    };
    const renew = setInterval(() => {
      renewLease(db, claim, task.leaseMs)
        .then((held) => {
          if (!held) abort.abort(new Error("the job's lease was lost to another worker"));
        })
        .catch((err: unknown) => log.warn({ err }, "could not renew a job's lease"));
    }, task.leaseMs / 3);
    try {
      await task.run(job.payload as Record<string, unknown>, context);
      if (!(await completeJob(db, claim)) && !completedInHandler)
        log.warn("job finished after its lease was lost; another worker may have run it too");
    } catch (err) {
      const message = errorText(err);
      if (this.stopping && abort.signal.aborted) {
        await releaseJob(db, claim);
        log.info("job interrupted by the stop; it is due again");
      } else if (delayMs !== null) {
        await retryJob(db, claim, delayMs, message);
        log.warn({ err, retryInMs: delayMs }, "job failed; it is retried");
      } else {
        await failJob(db, claim, message);
        log.error({ err }, "job failed for good");
      }
    } finally {
      clearInterval(renew);
    }
  }
}
