import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { addHost, originOf } from "../support/hosts.js";
import { jobFinished, uploadImage } from "../support/image-jobs.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** A small qcow2 whose content (and so whose blob's sha256) no other test shares. */
async function uniqueQcow2(dir: string, name: string): Promise<string> {
  const raw = join(dir, `${name}.raw`);
  await writeFile(raw, Buffer.concat([randomBytes(64 * 1024), Buffer.alloc(1024 * 1024 - 64 * 1024)]));
  const qcow2 = join(dir, `${name}.qcow2`);
  await runProgram("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", "--", raw, qcow2]);
  return qcow2;
}

async function importImage(
  c: TestController,
  who: { api: ApiClient; token: string },
  file: string,
  query: Record<string, string>,
) {
  const queued = await uploadImage(c, who.token, file, query);
  expect(queued.status, JSON.stringify(queued.body)).toBe(202);
  const job = await jobFinished(who.api, queued.body.id);
  expect(job.state, JSON.stringify(job)).toBe("succeeded");
  return (await who.api.get(`/images/${job.image_id}`)).body;
}

describeOnEachDatabase("blobs by ownership on %s", (kind) => {
  let c: TestController;
  let dir: string;
  let provider: ApiClient;
  let tenantA: Tenant;
  let tenantB: Tenant;
  let privateOfA: any;
  let publicImage: any;

  beforeAll(async () => {
    c = await startTestController(kind);
    dir = await mkdtemp(join(tmpdir(), "lb-blobs-"));
    provider = apiClient(c.url, c.adminToken);
    tenantA = await createTenant(c, provider, "customer");
    tenantB = await createTenant(c, provider, "customer");
    privateOfA = await importImage(c, tenantA, await uniqueQcow2(dir, "a"), { name: "a-private" });
    publicImage = await importImage(
      c,
      { api: provider, token: c.adminToken },
      await uniqueQcow2(dir, "pub"),
      {
        name: "provider-public",
        visibility: "public",
      },
    );
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("tenant B cannot register tenant A's private blob by its sha256, nor by A's image id", async () => {
    expect(privateOfA.sha256).toMatch(/^[0-9a-f]{64}$/);
    const byHash = await tenantB.api.post("/images", {
      name: "stolen",
      visibility: "private",
      sha256: privateOfA.sha256,
    });
    expect(byHash.status).toBe(400);
    expect(byHash.body.error.details.field).toBe("sha256");
    // Nor the provider: no one names a blob by hash.
    const providerByHash = await provider.post("/images", {
      name: "by-hash",
      visibility: "public",
      sha256: publicImage.sha256,
    });
    expect(providerByHash.status).toBe(400);
    // A's image id answers exactly like an id that does not exist.
    const byId = await tenantB.api.post("/images", {
      name: "stolen",
      visibility: "private",
      from_image_id: privateOfA.id,
    });
    const unknown = await tenantB.api.post("/images", {
      name: "stolen",
      visibility: "private",
      from_image_id: "img_00000000000000000000000000",
    });
    expect(byId.status).toBe(400);
    expect(byId.body.error.details.field).toBe("from_image_id");
    expect({ status: unknown.status, code: unknown.body.error.code }).toEqual({
      status: byId.status,
      code: byId.body.error.code,
    });
    expect((await tenantB.api.get("/images?name=stolen")).body.items).toEqual([]);
  });

  it("tenant B cannot export tenant A's private image; 404 as for one that does not exist", async () => {
    const theirs = await tenantB.api.post(`/images/${privateOfA.id}/exports`, { format: "raw" });
    const none = await tenantB.api.post(`/images/img_00000000000000000000000000/exports`, { format: "raw" });
    expect(theirs.status).toBe(404);
    expect(none.status).toBe(404);
    expect(theirs.body.error.code).toBe(none.body.error.code);
    // A's export job, if A makes one, is not B's to download either.
    const mine = await tenantA.api.post(`/images/${privateOfA.id}/exports`, { format: "qcow2" });
    const done = await jobFinished(tenantA.api, mine.body.id);
    expect(done.state).toBe("succeeded");
    const foreign = await fetch(`${c.url}/image-jobs/${done.id}/download`, {
      headers: { authorization: `Bearer ${tenantB.token}` },
    });
    expect(foreign.status).toBe(404);
  });

  it("a public image's blob can be used: B shares it under its own name and exports it", async () => {
    const shared = await tenantB.api.post("/images", {
      name: "my-copy",
      visibility: "private",
      from_image_id: publicImage.id,
    });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    expect(shared.body).toMatchObject({ sha256: publicImage.sha256, status: "available", format: "qcow2" });
    const exporting = await tenantB.api.post(`/images/${shared.body.id}/exports`, { format: "qcow2" });
    const done = await jobFinished(tenantB.api, exporting.body.id);
    expect(done.state, JSON.stringify(done)).toBe("succeeded");
    // A's private image stays invisible to B.
    expect((await tenantB.api.get(`/images/${privateOfA.id}`)).status).toBe(404);
  });

  it("the agent's blob fetch is authorised only for blobs of servers placed on that host", async () => {
    const siteId = (await provider.get("/sites")).body.items[0].id as string;
    const planId = (await provider.get("/plans")).body.items[0].id as string;
    const { hostId, joinToken } = await addHost(provider, siteId, `blob-host-${kind}`);
    const joined = await fetch(`${originOf(c)}/agent/v1/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ join_token: joinToken }),
    });
    expect(joined.status).toBe(201);
    const { credential } = (await joined.json()) as { credential: string };
    const fetchBlob = (sha256: string) =>
      fetch(`${originOf(c)}/agent/v1/blobs/${sha256}`, {
        headers: { authorization: `Bearer ${credential}` },
      });

    // No server on the host yet: every blob is refused, and refused looks like missing.
    const refused = await fetchBlob(privateOfA.sha256);
    const missing = await fetchBlob("0".repeat(64));
    expect(refused.status).toBe(404);
    expect(missing.status).toBe(404);
    const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
    expect(await codeOf(refused)).toBe(await codeOf(missing));
    expect((await fetchBlob(publicImage.sha256)).status).toBe(404);

    // The host is up with room; B's server from the shared public image is placed on it.
    await c.database.db
      .updateTable("hosts")
      .set({
        state: "up",
        accelerator: "tcg",
        cpu_cores: 64,
        memory_mib: 1024 * 1024,
        disk_gib: 100_000,
        last_heartbeat_at: new Date(Date.now() + 24 * 3600_000),
      })
      .where("id", "=", hostId)
      .execute();
    const copy = (await tenantB.api.get("/images?name=my-copy")).body.items[0];
    const server = await tenantB.api.post("/servers", {
      name: "web",
      site_id: siteId,
      plan_id: planId,
      image_id: copy.id,
    });
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    const placed = await c.database.db
      .selectFrom("servers")
      .select("host_id")
      .where("id", "=", server.body.id)
      .executeTakeFirstOrThrow();
    expect(placed.host_id).toBe(hostId);

    const allowed = await fetchBlob(publicImage.sha256);
    expect(allowed.status).toBe(200);
    const bytes = Buffer.from(await allowed.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(publicImage.sha256);
    // A's private blob is still not this host's business.
    expect((await fetchBlob(privateOfA.sha256)).status).toBe(404);
    // Another host's credential opens nothing at all.
    expect(
      (
        await fetch(`${originOf(c)}/agent/v1/blobs/${publicImage.sha256}`, {
          headers: { authorization: `Bearer not-a-credential` },
        })
      ).status,
    ).toBe(401);
  });
});
