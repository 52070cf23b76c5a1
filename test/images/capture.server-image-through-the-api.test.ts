import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, desiredServersForHost, recordObservations } from "@layerboom/controller";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { describeOnEachDatabase } from "../support/databases.js";
import type { DatabaseKind } from "@layerboom/db";
import { addHost, eventually, originOf } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

// POST /servers/{id}/image without a guest (docs/images.md, "Capture"): this test plays the
// agent's part over the agent API (the upload a real agent makes, with the host's credential),
// and checks the controller's: the pending image, the desired set, tenancy, quotas, the job's
// stages through inspection, generalisation and the catalog, and that a failed capture leaves
// nothing behind. test/servers/capture.real-guests.test.ts does the same with a real agent.

/** A qcow2 holding an ext4 filesystem as a booted server leaves it: host keys, a machine id, a customer file. */
async function capturedDisk(dir: string): Promise<Copy> {
  const tree = join(dir, "tree");
  await mkdir(join(tree, "etc/ssh"), { recursive: true });
  await mkdir(join(tree, "home/customer"), { recursive: true });
  await mkdir(join(tree, "var/lib/cloud/instances/iid-old"), { recursive: true });
  await writeFile(join(tree, "etc/ssh/ssh_host_ed25519_key"), "private\n");
  await writeFile(join(tree, "etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
  await writeFile(join(tree, "etc/shadow"), "root:*:20000:0:99999:7:::\n");
  await writeFile(join(tree, "home/customer/keep.txt"), "kept\n");
  await writeFile(join(tree, "var/lib/cloud/instances/iid-old/obj.pkl"), "state\n");
  const raw = join(dir, "disk.raw");
  await runProgram("truncate", ["-s", "64M", raw]);
  await runProgram("mke2fs", ["-q", "-t", "ext4", "-d", tree, raw]);
  const path = join(dir, "disk.qcow2");
  await runProgram("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, path]);
  const bytes = await readFile(path);
  return { path, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}

type Copy = { path: string; sha256: string; size: number };
type CaptureQuery = { method?: string; sha256?: string; size_bytes?: number };

/** What the agent's upload of a copy sends (agent/src/daemon/capture-uploader.ts). */
async function putCapture(
  c: TestController,
  token: string,
  captureId: string,
  copy: Copy,
  query: CaptureQuery = {},
) {
  const q = new URLSearchParams({
    method: query.method ?? "qemu-img-convert",
    sha256: query.sha256 ?? copy.sha256,
    size_bytes: String(query.size_bytes ?? copy.size),
  });
  const res = await fetch(`${originOf(c)}/agent/v1/captures/${captureId}?${q.toString()}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: await readFile(copy.path),
  });
  return { status: res.status, body: await res.text() };
}

/** A controller with a host (its credential, for playing its agent) and a customer's server on it. */
async function capturingWorld(kind: DatabaseKind, options: Parameters<typeof startTestController>[1] = {}) {
  const c = await startTestController(kind, options);
  const provider = apiClient(c.url, c.adminToken);
  const siteId = (await provider.get("/sites")).body.items[0].id as string;
  const added = await addHost(provider, siteId, "capture-host");
  const hostId = added.hostId;
  const joined = await apiClient(originOf(c)).post("/agent/v1/join", { join_token: added.joinToken });
  expect(joined.status, JSON.stringify(joined.body)).toBe(201);
  const credential = joined.body.credential as string;
  await c.database.db
    .updateTable("hosts")
    .set({
      state: "up",
      cpu_cores: 64,
      memory_mib: 65_536,
      disk_gib: 1_000,
      last_heartbeat_at: new Date(Date.now() + 24 * 3600_000),
    })
    .where("id", "=", hostId)
    .execute();
  const owner = await createTenant(c, provider, "customer");
  const stranger = await createTenant(c, provider, "customer");
  const plan = (await provider.get("/plans")).body.items[0];
  const image = await provider.post("/images", { name: "base", visibility: "public", format: "qcow2" });
  expect(image.status, JSON.stringify(image.body)).toBe(201);
  const server = await owner.api.post("/servers", {
    name: "web-1",
    site_id: siteId,
    plan_id: plan.id,
    image_id: image.body.id,
  });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  return { c, provider, owner, stranger, hostId, credential, serverId: server.body.id as string };
}

describeOnEachDatabase("capturing a server into an image on %s", (kind) => {
  let c: TestController;
  let provider: ApiClient;
  let owner: Tenant;
  let stranger: Tenant;
  let hostId: string;
  let credential: string;
  let serverId: string;
  let dir: string;
  let copy: Copy;

  const upload = (captureId: string, query: CaptureQuery = {}, token = credential) =>
    putCapture(c, token, captureId, copy, query);

  async function finished(api: ApiClient, jobId: string) {
    return eventually(
      `capture job ${jobId} to end`,
      async () => {
        const job = await api.get(`/image-jobs/${jobId}`);
        return job.body.state === "succeeded" || job.body.state === "failed" ? job.body : undefined;
      },
      60_000,
    );
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-capture-api-"));
    copy = await capturedDisk(dir);
    ({ c, provider, owner, stranger, hostId, credential, serverId } = await capturingWorld(kind));
  });

  afterAll(async () => {
    await c?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers another tenant's server as a missing one", async () => {
    const theirs = await stranger.api.post(`/servers/${serverId}/image`, { name: "stolen" });
    const missing = await stranger.api.post(`/servers/srv_00000000000000000000000000/image`, {
      name: "stolen",
    });
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body.error.code).toBe(missing.body.error.code);
    expect(theirs.body.error.message.replace(serverId, "ID")).toBe(
      missing.body.error.message.replace("srv_00000000000000000000000000", "ID"),
    );
    expect(
      (await stranger.api.get("/images")).body.items.some((i: { name: string }) => i.name === "stolen"),
    ).toBe(false);
  });

  it("captures, verifies, generalises and catalogs the host's copy as a private image", async () => {
    const res = await owner.api.post(`/servers/${serverId}/image`, {
      name: "../../etc/passwd",
      description: "web server, generalised",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ kind: "capture", account_id: owner.accountId });
    const jobId = res.body.id as string;
    const imageId = res.body.image_id as string;
    // Pending at once: the name is taken and the image is not usable yet.
    const pending = await owner.api.get(`/images/${imageId}`);
    expect(pending.body).toMatchObject({
      status: "pending",
      visibility: "private",
      name: "../../etc/passwd",
    });
    const taken = await owner.api.post(`/servers/${serverId}/image`, { name: "../../etc/passwd" });
    expect(taken.status).toBe(409);
    // The host is asked for a copy.
    const desired = await desiredServersForHost(c.database, hostId);
    expect(desired.find((s) => s.server_id === serverId)?.captures).toEqual([jobId]);

    // Refused uploads: no credential, a copy that is not what was announced, an id that is not a capture.
    expect((await upload(jobId, {}, "lbh_host_nope.nope")).status).toBe(401);
    expect((await upload(jobId, { sha256: "0".repeat(64) })).status).toBe(400);
    expect((await upload(jobId, { method: "rsync" })).status).toBe(400);
    expect((await upload("job_00000000000000000000000000")).status).toBe(404);
    expect((await upload(jobId)).status).toBe(204);

    const job = await finished(owner.api, jobId);
    expect(job, JSON.stringify(job)).toMatchObject({
      state: "succeeded",
      image_id: imageId,
      result: { method: "qemu-img-convert", generalized: true },
    });
    const image = (await owner.api.get(`/images/${imageId}`)).body;
    expect(image).toMatchObject({ status: "available", visibility: "private", format: "qcow2" });
    const steps = image.pipeline as { step: string; [k: string]: unknown }[];
    expect(steps.map((s) => s.step)).toEqual(["capture", "inspect", "generalize", "convert", "checksum"]);
    expect(steps[0]).toMatchObject({
      method: "qemu-img-convert",
      server_id: serverId,
      description: "web server, generalised",
    });
    const applied = Object.fromEntries(
      (steps[2]?.applied as { step: string; outcome: string }[]).map((s) => [s.step, s.outcome]),
    );
    expect(applied).toEqual({
      "cloud-init": "done",
      "ssh-host-keys": "done",
      "machine-id": "done",
      "root-password": "unchanged",
    });
    // The stored blob is the generalised disk: no host key, the customer's file still there.
    const raw = join(dir, "catalog.raw");
    await runProgram("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", join(c.blobDir, image.sha256), raw]);
    const stat = async (p: string) => (await runProgram("debugfs", ["-R", `stat ${p}`, raw])).stdout;
    expect(await stat("/etc/ssh/ssh_host_ed25519_key")).not.toContain("Inode:");
    expect((await runProgram("debugfs", ["-R", "cat /home/customer/keep.txt", raw])).stdout).toBe("kept\n");
    // The capture left the desired set; the job's folder is gone; a late upload is refused.
    expect(
      (await desiredServersForHost(c.database, hostId)).find((s) => s.server_id === serverId)?.captures,
    ).toBe(undefined);
    expect((await upload(jobId)).status).toBe(404);
    // Billing and quotas count it: the account's stored image bytes include it.
    const quotas = await provider.get(`/accounts/${owner.accountId}/image-quotas`);
    expect(quotas.body.usage.image_bytes).toBe(image.size_bytes);
    // Its storage meter started in the transaction that made it available (docs/billing.md).
    const meter = await c.database.db
      .selectFrom("image_storage_intervals")
      .select(["account_id", "size_bytes", "ended_at"])
      .where("image_id", "=", imageId)
      .execute();
    expect(meter.map((m) => [m.account_id, Number(m.size_bytes), m.ended_at])).toEqual([
      [owner.accountId, image.size_bytes, null],
    ]);
  });

  it("fails a capture the host could not copy, leaving no image and the name free", async () => {
    const res = await owner.api.post(`/servers/${serverId}/image`, { name: "failing" });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const server = (await owner.api.get(`/servers/${serverId}`)).body;
    await recordObservations(c.database, hostId, [
      {
        server_id: serverId,
        state: "stopped",
        generation: server.generation,
        captures: [{ capture_id: res.body.id, state: "failed", error: "qemu-img: Could not open disk" }],
      },
    ]);
    const job = await finished(owner.api, res.body.id);
    expect(job).toMatchObject({ state: "failed", error: { check: "capture-copy" } });
    expect(job.error.message).toMatch(/Could not open disk/);
    expect((await owner.api.get(`/images/${res.body.image_id}`)).status).toBe(404);
    const again = await owner.api.post(`/servers/${serverId}/image`, { name: "failing" });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    await recordObservations(c.database, hostId, [
      {
        server_id: serverId,
        state: "stopped",
        generation: server.generation,
        captures: [{ capture_id: again.body.id, state: "failed", error: "gone" }],
      },
    ]);
    await finished(owner.api, again.body.id);
  });

  it("holds the account's stored bytes quota when the image is made, leaving nothing", async () => {
    const usage = (await provider.get(`/accounts/${owner.accountId}/image-quotas`)).body.usage;
    const set = await provider.patch(`/accounts/${owner.accountId}/image-quotas`, {
      image_bytes: (usage.image_bytes as number) + 1,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const res = await owner.api.post(`/servers/${serverId}/image`, { name: "too-big" });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect((await upload(res.body.id)).status).toBe(204);
    const job = await finished(owner.api, res.body.id);
    expect(job).toMatchObject({ state: "failed", error: { check: "quota-image-bytes" } });
    expect((await owner.api.get(`/images/${res.body.image_id}`)).status).toBe(404);
    await provider.patch(`/accounts/${owner.accountId}/image-quotas`, { image_bytes: null });
  });

  it("holds the account's image quota", async () => {
    const count = (await provider.get(`/accounts/${owner.accountId}/image-quotas`)).body.usage
      .images as number;
    const set = await provider.patch(`/accounts/${owner.accountId}/image-quotas`, { images: count });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const res = await owner.api.post(`/servers/${serverId}/image`, { name: "one-too-many" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("quota_exceeded");
  });
});

// Crash safety: a controller that takes the request and the host's upload but dies before running
// the job (here: one with no image runner) leaves a pending image and the copy; the next controller
// on the same database and blob store finishes it. A job whose workers died as often as it may be
// tried is given up by the next one: its image is failed and deleted, its copy and folder removed.
describeOnEachDatabase("a capture across a controller's death on %s", (kind) => {
  let world: Awaited<ReturnType<typeof capturingWorld>>;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-capture-crash-"));
    world = await capturingWorld(kind, { imageJobs: { runner: false } });
  });

  afterAll(async () => {
    await world?.c.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is finished from the uploaded copy by the next controller, or given up with nothing left", async () => {
    const { c, owner, serverId, credential } = world;
    const copy = await capturedDisk(dir);
    const arrived = await owner.api.post(`/servers/${serverId}/image`, { name: "arrived" });
    expect(arrived.status, JSON.stringify(arrived.body)).toBe(202);
    expect((await putCapture(c, credential, arrived.body.id, copy)).status).toBe(204);
    const died = await owner.api.post(`/servers/${serverId}/image`, { name: "died" });
    expect(died.status, JSON.stringify(died.body)).toBe(202);
    expect((await putCapture(c, credential, died.body.id, copy)).status).toBe(204);
    // Its workers died three times (the image runner's attempts) while it ran.
    await c.database.db
      .updateTable("jobs")
      .set({ state: "running", attempts: 3, locked_by: "dead", locked_until: new Date(Date.now() - 60_000) })
      .where("unique_key", "=", `image-jobs.run:${died.body.id as string}`)
      .execute();
    expect((await owner.api.get(`/images/${arrived.body.image_id}`)).body.status).toBe("pending");

    const next = await buildApp({
      database: c.database,
      blobDir: c.blobDir,
      logger: false,
      webRoot: false,
      jobs: { pollMs: 200 },
    });
    await next.ready();
    try {
      const ended = async (id: string) =>
        eventually(
          `job ${id} to end`,
          async () => {
            const job = (await owner.api.get(`/image-jobs/${id}`)).body;
            return job.state === "succeeded" || job.state === "failed" ? job : undefined;
          },
          60_000,
        );
      expect(await ended(arrived.body.id)).toMatchObject({
        state: "succeeded",
        result: { generalized: true },
      });
      expect((await owner.api.get(`/images/${arrived.body.image_id}`)).body.status).toBe("available");
      expect(await ended(died.body.id)).toMatchObject({ state: "failed", error: { check: "attempts" } });
      expect((await owner.api.get(`/images/${died.body.image_id}`)).status).toBe(404);
      const captures = await c.database.db
        .selectFrom("image_captures")
        .select(["job_id", "state"])
        .orderBy("job_id")
        .execute();
      expect(captures).toEqual([
        { job_id: arrived.body.id, state: "uploaded" },
        { job_id: died.body.id, state: "failed" },
      ]);
      expect(await readdir(join(c.blobDir, ".image-jobs")).catch(() => [])).toEqual([]);
      // The name of the given-up image is free again.
      expect((await owner.api.post(`/servers/${serverId}/image`, { name: "died" })).status).toBe(202);
    } finally {
      await next.close();
    }
  });
});
