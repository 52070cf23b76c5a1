import { spawn } from "node:child_process";
import { JobRunner, enqueueJob, enqueueJobs } from "@layerboom/controller";
import type { TaskDefinition } from "@layerboom/controller";
import type { Database, JobRow } from "@layerboom/db";
import { migratedScratch } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";
import type { FastifyBaseLogger } from "fastify";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { describeOnEachDatabase } from "../support/databases.js";

const quiet = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => quiet,
} as unknown as FastifyBaseLogger;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describeOnEachDatabase("the job runner on %s", (kind) => {
  let scratch: ScratchDatabase;
  /** Two handles on one database: two controllers (on PGlite, the same in-process database). */
  let first: Database;
  let second: Database;
  const runners: JobRunner[] = [];

  const runner = (database: Database, tasks: Record<string, TaskDefinition<any>>, schedules = []) => {
    const r = new JobRunner({ database, logger: quiet, pollMs: 25, stopTimeoutMs: 2_000 });
    for (const [name, task] of Object.entries(tasks)) r.define(name, task);
    for (const s of schedules) r.schedule(s);
    runners.push(r);
    return r;
  };
  const job = (id: number) =>
    first.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const finished = (id: number) =>
    until(`job ${id} to finish`, async () => {
      const row = await job(id);
      return row.state === "succeeded" || row.state === "failed" ? row : undefined;
    });

  beforeAll(async () => {
    const made = await migratedScratch(kind);
    scratch = made.scratch;
    first = made.database;
    second = kind === "postgres" ? await scratch.open() : first;
  }, 120_000);
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    if (second !== first) await second?.close();
    await first?.close();
    await scratch?.drop();
  });

  it("two runners on one database run each occurrence of a schedule once", async () => {
    const ran: { occurrence: string; by: string }[] = [];
    const tick = (by: string): TaskDefinition<{ occurrence: string }> => ({
      run: async ({ occurrence }) => {
        ran.push({ occurrence, by });
      },
    });
    const schedule = { name: "test.every-100ms", task: "test.tick", everyMs: 100 };
    const a = runner(first, { "test.tick": tick("a") }, [schedule] as never);
    const b = runner(second, { "test.tick": tick("b") }, [schedule] as never);
    await Promise.all([a.start(), b.start()]);
    await sleep(1_500);
    await Promise.all([a.stop(), b.stop()]);
    const occurrences = ran.map((r) => r.occurrence);
    expect(occurrences.length).toBeGreaterThanOrEqual(5);
    expect(new Set(occurrences).size).toBe(occurrences.length);
    // Occurrences are named by the schedule, not by whichever runner enqueued them.
    expect(occurrences.every((o) => Date.parse(o) % 100 === 0)).toBe(true);
    const rows = await first.db
      .selectFrom("jobs")
      .select(["unique_key", "state", "attempts"])
      .where("task", "=", "test.tick")
      .execute();
    expect(rows).toHaveLength(occurrences.length);
    expect(rows.every((r) => r.state === "succeeded" && r.attempts === 1)).toBe(true);
    console.log(
      `[${kind}] ${occurrences.length} occurrences in 1.5 s, run once each: ${ran.filter((r) => r.by === "a").length} by one runner, ${ran.filter((r) => r.by === "b").length} by the other`,
    );
  });

  it("a schedule seen for the first time waits for its next occurrence; one missed while no controller ran is enqueued once", async () => {
    const ran: string[] = [];
    const tasks = {
      "test.monthly": { run: async ({ occurrence }: { occurrence: string }) => void ran.push(occurrence) },
    };
    const monthly = [{ name: "test.monthly", task: "test.monthly", cron: "0 13 1 * *" }];
    await runner(first, tasks, monthly as never).start();
    await sleep(300);
    expect(ran).toEqual([]);
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    // The controllers were down over the last 1st of the month, and the one before.
    await first.db
      .updateTable("job_schedules")
      .set({ last_occurrence: new Date(Date.now() - 70 * 24 * 3_600_000) })
      .where("name", "=", "test.monthly")
      .execute();
    await Promise.all([
      runner(first, tasks, monthly as never).start(),
      runner(second, tasks, monthly as never).start(),
    ]);
    await until("the missed occurrence", async () => (ran.length > 0 ? true : undefined));
    await sleep(300);
    const now = new Date();
    const latest = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1, 13));
    if (latest > now) latest.setUTCMonth(latest.getUTCMonth() - 1);
    expect(ran).toEqual([latest.toISOString()]);
  });

  it("a job whose worker died is taken over once its lease runs out, and runs again", async () => {
    const id = (await enqueueJob(first.db, { task: "test.crash", payload: { n: 1 } }))!;
    if (kind === "postgres") {
      // A real worker process claims it and is killed with SIGKILL mid-run.
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "--conditions=layerboom-source",
          "test/jobs/crashing-worker.ts",
          scratch.location,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      await until(
        "the worker to claim the job",
        async () => (out.includes(`claimed ${id}`) ? true : undefined),
        60_000,
      );
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    } else {
      // PGlite is one process's database: what a killed worker leaves behind is this row.
      await first.db
        .updateTable("jobs")
        .set({ state: "running", attempts: 1, locked_by: "doomed", locked_until: new Date(Date.now() + 600) })
        .where("id", "=", id)
        .execute();
    }
    const held = await job(id);
    expect(held).toMatchObject({ state: "running", locked_by: "doomed", attempts: 1 });
    const ranAt: number[] = [];
    await runner(second, { "test.crash": { run: async () => void ranAt.push(Date.now()) } }).start();
    const done = await finished(id);
    expect(done).toMatchObject({ state: "succeeded", attempts: 2, locked_by: null });
    expect(ranAt).toHaveLength(1);
    // Not before the dead worker's lease ran out.
    expect(ranAt[0]!).toBeGreaterThanOrEqual(held.locked_until!.getTime() - 50);
  }, 90_000);

  it("retries a failing job with growing waits and ends it failed after its attempts, with the error", async () => {
    const attemptsAt: number[] = [];
    const flaky: TaskDefinition = {
      maxAttempts: 4,
      backoff: { baseMs: 150, maxMs: 1_000 },
      run: async (_payload, context) => {
        attemptsAt.push(Date.now());
        throw new Error(`receiver down (attempt ${context.attempt})`);
      },
    };
    let calls = 0;
    const recovers: TaskDefinition = {
      backoff: { baseMs: 20, maxMs: 40 },
      run: async () => {
        if (++calls < 3) throw new Error("not yet");
      },
    };
    await runner(first, { "test.flaky": flaky, "test.recovers": recovers }).start();
    const failing = (await enqueueJob(first.db, { task: "test.flaky" }))!;
    const recovering = (await enqueueJob(first.db, { task: "test.recovers" }))!;
    const failed = await finished(failing);
    expect(failed).toMatchObject({ state: "failed", attempts: 4, last_error: "receiver down (attempt 4)" });
    expect(failed.finished_at).not.toBeNull();
    const waits = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
    // Backoff n waits between half and all of 150 ms × 2^(n-1).
    expect(waits).toHaveLength(3);
    waits.forEach((wait, i) => expect(wait).toBeGreaterThanOrEqual((150 * 2 ** i) / 2 - 5));
    console.log(`[${kind}] waits between attempts: ${waits.join(", ")} ms`);
    expect(await finished(recovering)).toMatchObject({
      state: "succeeded",
      attempts: 3,
      last_error: "not yet",
    });
  });

  it("dedupes by unique key: a second job with the key is not enqueued, and the job runs once", async () => {
    const key = "backups.schedule@2026-12-07T10:00:00.000Z";
    const firstId = await enqueueJob(first.db, { task: "test.once", uniqueKey: key });
    expect(firstId).toBeDefined();
    expect(await enqueueJob(second.db, { task: "test.once", uniqueKey: key })).toBeUndefined();
    expect(
      await enqueueJobs(first.db, [
        { task: "test.once", uniqueKey: key },
        { task: "test.once", uniqueKey: "other" },
        { task: "test.once", uniqueKey: "other-2" },
      ]),
    ).toBe(2);
    // Within one transaction too (a feature enqueues with its change).
    await first.db.transaction().execute(async (trx) => {
      expect(await enqueueJob(trx, { task: "test.once", uniqueKey: key })).toBeUndefined();
    });
    const ran: number[] = [];
    await runner(first, { "test.once": { run: async (_p, c) => void ran.push(c.job.id) } }).start();
    await finished(firstId!);
    await sleep(200);
    const rows = await first.db.selectFrom("jobs").select("id").where("unique_key", "=", key).execute();
    expect(rows).toHaveLength(1);
    expect(ran.filter((r) => r === firstId)).toHaveLength(1);
  });

  it("a graceful stop gives an interrupted attempt back; a job finished in the handler's transaction ends with it", async () => {
    let started = false;
    const patient: TaskDefinition = {
      run: async (_payload, context) => {
        started = true;
        await new Promise((_resolve, reject) =>
          context.signal.addEventListener("abort", () => reject(new Error("stopped"))),
        );
      },
    };
    const atomic: TaskDefinition = {
      run: async (_payload, context) => {
        await first.db.transaction().execute(async (trx) => {
          expect(await context.complete(trx)).toBe(true);
        });
      },
    };
    const r = runner(first, { "test.patient": patient, "test.atomic": atomic });
    await r.start();
    const id = (await enqueueJob(first.db, { task: "test.patient" }))!;
    const atomicId = (await enqueueJob(first.db, { task: "test.atomic" }))!;
    r.wake();
    await until("the job to start", async () => (started ? true : undefined));
    expect(await finished(atomicId)).toMatchObject({ state: "succeeded", attempts: 1 });
    await r.stop();
    const row: JobRow = await job(id);
    expect(row).toMatchObject({ state: "queued", attempts: 0, locked_by: null, locked_until: null });
    expect(row.run_at.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
