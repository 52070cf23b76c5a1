import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ImageJobRow } from "@layerboom/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { eventually } from "../support/hosts.js";
import { jobFinished, makeQcow2, uploadImage } from "../support/image-jobs.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

const GiB = 1024 ** 3;

describeOnEachDatabase("image quotas and caps on %s", (kind) => {
  let c: TestController;
  let dir: string;
  let provider: ApiClient;
  let small: string;
  /** Jobs of these accounts wait at the start until the test lets them go. */
  const held = new Map<string, Promise<void>>();

  beforeAll(async () => {
    c = await startTestController(kind, {
      imageJobs: {
        // Short enough that the hole-hashing of a 512 GiB raw export runs into it in a test.
        limits: { exportTimeoutMs: 4_000 },
        beforeJob: async (job: ImageJobRow) => held.get(job.account_id),
      },
    });
    provider = apiClient(c.url, c.adminToken);
    dir = await mkdtemp(join(tmpdir(), "lb-quotas-"));
    small = join(dir, "small.qcow2");
    await makeQcow2(small, "4M");
  }, 120_000);

  afterAll(async () => {
    for (const [id] of held) held.delete(id);
    await c?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const jobFolders = async () => readdir(join(c.blobDir, ".image-jobs")).catch(() => [] as string[]);

  it("refuses the 229 KB qcow2 that claims 2 TiB with virtual-size-cap, and takes exactly the cap", async () => {
    const tenant = await createTenant(c, provider, "customer");
    const claims2T = join(dir, "claims-2T.qcow2");
    await makeQcow2(claims2T, "2T");
    const atCap = join(dir, "at-cap.qcow2");
    await makeQcow2(atCap, 512 * GiB);
    const overCap = join(dir, "over-cap.qcow2");
    await makeQcow2(overCap, 512 * GiB + 512);

    for (const [file, name, expected] of [
      [claims2T, "claims-2t", "failed"],
      [overCap, "over-cap", "failed"],
      [atCap, "at-cap", "succeeded"],
    ] as const) {
      const queued = await uploadImage(c, tenant.token, file, { name, format: "qcow2" });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      const job = await jobFinished(tenant.api, queued.body.id);
      expect(job.state, `${name}: ${JSON.stringify(job)}`).toBe(expected);
      if (expected === "failed") {
        expect(job.error.check).toBe("virtual-size-cap");
        expect(job.image_id).toBeNull();
      } else {
        const image = await tenant.api.get(`/images/${job.image_id}`);
        expect(image.body.pipeline.find((s: any) => s.step === "inspect").virtual_size).toBe(512 * GiB);
      }
    }
  });

  it("a raw export of a disk of holes cannot hold a runner: it stops at the export deadline", async () => {
    const tenant = await createTenant(c, provider, "customer");
    const atCap = join(dir, "at-cap-2.qcow2");
    await makeQcow2(atCap, 512 * GiB);
    const imported = await jobFinished(
      tenant.api,
      (await uploadImage(c, tenant.token, atCap, { name: "holes" })).body.id,
    );
    expect(imported.state, JSON.stringify(imported)).toBe("succeeded");
    const started = Date.now();
    const exporting = await tenant.api.post(`/images/${imported.image_id}/exports`, { format: "raw" });
    const job = await jobFinished(tenant.api, exporting.body.id, 60_000);
    const tookMs = Date.now() - started;
    expect(job, JSON.stringify(job)).toMatchObject({ state: "failed", error: { check: "export-timeout" } });
    // 512 GiB of zeros would take minutes to hash; the deadline (4 s here) ends it.
    expect(tookMs).toBeLessThan(30_000);
    expect(await jobFolders()).not.toContain(job.id);
  });

  it("holds each quota with 409 quota_exceeded naming it, and leaves nothing half-created", async () => {
    const t: Tenant = await createTenant(c, provider, "customer");
    const quotas = (body: Record<string, number | null>) =>
      provider.patch(`/accounts/${t.accountId}/image-quotas`, body);
    const refusedFor = (res: { status: number; body: any }, quota: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error).toMatchObject({ code: "quota_exceeded", details: { quota } });
      expect(res.body.error.message).toContain(quota);
    };

    // Only a provider admin sets quotas; the tenant may read its own, another tenant gets 404.
    expect((await t.api.patch(`/accounts/${t.accountId}/image-quotas`, { images: 100 })).status).toBe(403);
    const other = await createTenant(c, provider, "customer");
    expect((await other.api.get(`/accounts/${t.accountId}/image-quotas`)).status).toBe(404);
    const own = await t.api.get(`/accounts/${t.accountId}/image-quotas`);
    expect(own.body).toMatchObject({
      limits: { images: 50, uploads: 2, image_jobs_running: 1 },
      usage: { images: 0 },
    });

    // images: one allowed, the second upload and a second record are refused.
    expect((await quotas({ images: 1 })).status).toBe(200);
    const first = await jobFinished(t.api, (await uploadImage(c, t.token, small, { name: "one" })).body.id);
    expect(first.state).toBe("succeeded");
    const foldersBefore = await jobFolders();
    refusedFor(await uploadImage(c, t.token, small, { name: "two" }), "images");
    refusedFor(await t.api.post("/images", { name: "record", visibility: "private" }), "images");
    // No new job folder (finished jobs' folders may go meanwhile).
    expect((await jobFolders()).filter((f) => !foldersBefore.includes(f))).toEqual([]);
    expect((await t.api.get("/images")).body.items.map((i: any) => i.name)).toEqual(["one"]);

    // image_bytes: at the limit no import is queued; a limit the new disk would pass fails the
    // job at catalog time, registering nothing.
    const used = (await t.api.get(`/accounts/${t.accountId}/image-quotas`)).body.usage.image_bytes;
    expect(used).toBeGreaterThan(0);
    expect((await quotas({ images: null, image_bytes: used })).status).toBe(200);
    refusedFor(await uploadImage(c, t.token, small, { name: "full" }), "image_bytes");
    await quotas({ image_bytes: used + 1 });
    const tooBig = await jobFinished(t.api, (await uploadImage(c, t.token, small, { name: "big" })).body.id);
    expect(tooBig).toMatchObject({ state: "failed", image_id: null, error: { check: "quota-image-bytes" } });
    expect((await t.api.get("/images?name=big")).body.items).toEqual([]);
    await quotas({ image_bytes: null });

    // image_jobs: with one job held at the start, a second is refused.
    let release!: () => void;
    held.set(t.accountId, new Promise<void>((r) => (release = r)));
    await quotas({ image_jobs: 1 });
    const holding = await t.api.post(`/images/${first.image_id}/exports`, { format: "qcow2" });
    expect(holding.status).toBe(202);
    refusedFor(await t.api.post(`/images/${first.image_id}/exports`, { format: "vdi" }), "image_jobs");
    refusedFor(await uploadImage(c, t.token, small, { name: "three" }), "image_jobs");
    release();
    held.delete(t.accountId);
    expect((await jobFinished(t.api, holding.body.id)).state).toBe("succeeded");
    await quotas({ image_jobs: null });

    // uploads: one upload still streaming, a second at once is refused.
    await quotas({ uploads: 1 });
    const body = new Readable({ read() {} });
    const push = (chunk: Buffer | null) => body.push(chunk);
    const streaming = fetch(`${c.url}/images/uploads?name=slow`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.token}`, "content-type": "application/octet-stream" },
      body: Readable.toWeb(body) as never,
      duplex: "half",
    });
    push(Buffer.alloc(64 * 1024));
    await eventually("the first upload to count", async () => {
      const q = await t.api.get(`/accounts/${t.accountId}/image-quotas`);
      return q.body.usage.uploads === 1 ? true : undefined;
    });
    refusedFor(await uploadImage(c, t.token, small, { name: "parallel" }), "uploads");
    push(null);
    const done = await streaming;
    expect(done.status).toBe(202);
    await done.json();
    const after = await t.api.get(`/accounts/${t.accountId}/image-quotas`);
    expect(after.body.usage.uploads).toBe(0);
  });

  it("keeps the free-space reserve: an upload is answered 507 and a job fails with free-space-reserve", async () => {
    const full = await startTestController(kind, {
      imageJobs: { limits: { freeSpaceReserveBytes: Number.MAX_SAFE_INTEGER } },
    });
    try {
      const tenant = await createTenant(full, apiClient(full.url, full.adminToken), "customer");
      const upload = await uploadImage(full, tenant.token, small, { name: "no-room" });
      expect(upload.status).toBe(507);
      expect(upload.body.error.code).toBe("insufficient_storage");
      expect(upload.body.error.message).not.toContain(full.blobDir);
      const queued = await tenant.api.post("/images/imports", {
        url: "https://images.example.com/disk.qcow2",
        name: "from-url",
      });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      const job = await jobFinished(tenant.api, queued.body.id);
      expect(job).toMatchObject({ state: "failed", error: { check: "free-space-reserve" } });
      expect(await readdir(join(full.blobDir, ".image-jobs")).catch(() => [])).toEqual([]);
    } finally {
      await full.close();
    }
  });
});
