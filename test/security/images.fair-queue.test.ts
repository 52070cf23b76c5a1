import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImageJobRow } from "@layerboom/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { jobFinished, makeQcow2, uploadImage } from "../support/image-jobs.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** How long each of the busy account's jobs takes: slow on the clock, free for the CPU. */
const SLOW_JOB_MS = 1_500;

describeOnEachDatabase("the image-job queue is fair across accounts on %s", (kind) => {
  let c: TestController;
  let dir: string;
  let disk: string;
  let busy: Tenant;
  let small: Tenant;
  const slowAccounts = new Set<string>();

  beforeAll(async () => {
    c = await startTestController(kind, {
      imageJobs: {
        // Default concurrency and quotas: what a provider gets out of the box.
        beforeJob: async (job: ImageJobRow) => {
          if (slowAccounts.has(job.account_id)) await new Promise((r) => setTimeout(r, SLOW_JOB_MS));
        },
      },
    });
    const provider = apiClient(c.url, c.adminToken);
    busy = await createTenant(c, provider, "customer");
    small = await createTenant(c, provider, "customer");
    // Twenty jobs queued at once is past the default image_jobs quota: the provider allows it.
    const raised = await provider.patch(`/accounts/${busy.accountId}/image-quotas`, { image_jobs: 25 });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    dir = await mkdtemp(join(tmpdir(), "lb-fair-"));
    disk = join(dir, "small.qcow2");
    await makeQcow2(disk, "16M");
  }, 120_000);

  afterAll(async () => {
    slowAccounts.clear();
    await c?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Upload to finished import, in milliseconds. */
  const timedImport = async (name: string) => {
    const started = performance.now();
    const queued = await uploadImage(c, small.token, disk, { name, format: "qcow2" });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await jobFinished(small.api, queued.body.id, 120_000);
    expect(job.state, JSON.stringify(job)).toBe("succeeded");
    return { ms: performance.now() - started, jobId: job.id as string };
  };

  it("another account's small import finishes in about its usual time while one account has 20 slow jobs queued", async () => {
    // The usual time: the same import on an idle queue (the best of two, to skip warm-up).
    const idle = Math.min((await timedImport("idle-1")).ms, (await timedImport("idle-2")).ms);

    const image = await jobFinished(
      busy.api,
      (await uploadImage(c, busy.token, disk, { name: "busy-source" })).body.id,
    );
    expect(image.state).toBe("succeeded");
    slowAccounts.add(busy.accountId);
    const busyJobs: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await busy.api.post(`/images/${image.image_id}/exports`, { format: "qcow2" });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      busyJobs.push(res.body.id);
    }
    const loaded = await timedImport("while-busy");
    const ratio = loaded.ms / idle;
    console.log(
      `[${kind}] small import: ${idle.toFixed(0)} ms on an idle queue, ${loaded.ms.toFixed(0)} ms behind 20 slow jobs of another account (ratio ${ratio.toFixed(2)}; one slow job is ${SLOW_JOB_MS} ms)`,
    );
    // Unfair (first come, first served) it would wait for about ten slow jobs: 15 s.
    expect(ratio).toBeLessThan(3);
    expect(loaded.ms).toBeLessThan(idle + SLOW_JOB_MS);

    // The busy account ran one job at a time (its image_jobs_running quota) and still makes progress.
    const rows = await c.database.db
      .selectFrom("image_jobs")
      .select(["id", "state", "started_at"])
      .where("id", "in", busyJobs)
      .execute();
    expect(rows.filter((r) => r.state === "running").length).toBeLessThanOrEqual(1);
    expect(rows.filter((r) => r.state === "queued").length).toBeGreaterThan(10);
  }, 180_000);
});
