import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "@layerboom/core";
import { runProgram } from "@layerboom/sys";
import { generateHostileCorpus } from "@layerboom/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { eventually, runCli } from "../support/hosts.js";
import { uploadImage } from "../support/image-jobs.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

/** The disk's content as raw bytes, whatever its container format: what a round trip must keep. */
async function contentSha256(path: string, format: string, dir: string): Promise<string> {
  const raw = join(dir, `content-${randomBytes(4).toString("hex")}.raw`);
  await runProgram("qemu-img", ["convert", "-f", format, "-O", "raw", path, raw]);
  try {
    return await sha256(raw);
  } finally {
    await rm(raw, { force: true });
  }
}

async function finished(api: ApiClient, jobId: string) {
  return eventually(`job ${jobId} to finish`, async () => {
    const res = await api.get(`/image-jobs/${jobId}`);
    return res.body.state === "succeeded" || res.body.state === "failed" ? res.body : undefined;
  });
}

describeOnEachDatabase("image import and export jobs on %s", (kind) => {
  let c: TestController;
  let world: World;
  let dir: string;
  let raw: string;
  let vmdk: string;
  let vdi: string;
  let web: Server;
  let webUrl: string;

  beforeAll(async () => {
    // A web server that redirects once, and forever on another path. It listens before the
    // controller starts, so that the allowlist can name its address and port, and nothing else.
    web = createServer((req, res) => {
      if (req.url === "/redirect-once") res.writeHead(302, { location: "/disk.vdi" }).end();
      else if (req.url === "/loop") res.writeHead(302, { location: "/loop" }).end();
      else if (req.url === "/disk.vdi") createReadStream(vdi).pipe(res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    const webPort = (web.address() as AddressInfo).port;
    webUrl = `http://127.0.0.1:${webPort}`;
    c = await startTestController(kind, { outbound: { allowlist: [`127.0.0.1:${webPort}`] } });
    world = await buildWorld(c);
    dir = await mkdtemp(join(tmpdir(), "lb-image-jobs-"));
    // A 64 MiB disk with data at both ends and a hole in the middle.
    raw = join(dir, "disk.raw");
    await runProgram("truncate", ["-s", "64M", raw]);
    const data = randomBytes(1024 * 1024);
    await writeFile(join(dir, "chunk"), data);
    await runProgram("dd", [
      `if=${join(dir, "chunk")}`,
      `of=${raw}`,
      "bs=1M",
      "seek=0",
      "conv=notrunc",
      "status=none",
    ]);
    await runProgram("dd", [
      `if=${join(dir, "chunk")}`,
      `of=${raw}`,
      "bs=1M",
      "seek=60",
      "conv=notrunc",
      "status=none",
    ]);
    vmdk = join(dir, "disk.vmdk");
    vdi = join(dir, "disk.vdi");
    await runProgram("qemu-img", [
      "convert",
      "-f",
      "raw",
      "-O",
      "vmdk",
      "-o",
      "subformat=streamOptimized",
      raw,
      vmdk,
    ]);
    await runProgram("qemu-img", ["convert", "-f", "raw", "-O", "vdi", raw, vdi]);
  }, 120_000);

  afterAll(async () => {
    web?.close();
    await c?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("imports an upload, verifying the published checksum, and records every pipeline step", async () => {
    const api = world.customer1.api;
    const queued = await uploadImage(c, world.customer1.token, vmdk, {
      name: "uploaded-vmdk",
      format: "vmdk",
      sha256: await sha256(vmdk),
      filename: "disk.vmdk",
    });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await finished(api, queued.body.id);
    expect(job, JSON.stringify(job)).toMatchObject({ state: "succeeded", percent: 100, kind: "import" });
    const image = await api.get(`/images/${job.image_id}`);
    expect(image.body).toMatchObject({
      name: "uploaded-vmdk",
      status: "available",
      format: "qcow2",
      visibility: "private",
    });
    expect(image.body.pipeline.map((s: any) => s.step)).toEqual([
      "upload",
      "verify",
      "inspect",
      "convert",
      "checksum",
    ]);
    expect(image.body.pipeline[2]).toMatchObject({ format: "vmdk", virtual_size: 64 * 1024 * 1024 });
    expect(image.body.pipeline[1]).toMatchObject({ published: true });
    // Other tenants see neither the job nor the image.
    expect((await world.customer2.api.get(`/image-jobs/${job.id}`)).status).toBe(404);
    expect((await world.customer2.api.get(`/images/${job.image_id}`)).status).toBe(404);
  });

  it("imports from a URL through a redirect, and refuses redirect loops and non-http URLs", async () => {
    const api = world.customer1.api;
    const queued = await api.post("/images/imports", { url: `${webUrl}/redirect-once`, name: "from-url" });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await finished(api, queued.body.id);
    expect(job.state, JSON.stringify(job)).toBe("succeeded");
    expect(job.result).toMatchObject({ source_format: "vdi", source_sha256: await sha256(vdi) });

    const loop = await finished(
      api,
      (await api.post("/images/imports", { url: `${webUrl}/loop`, name: "loop" })).body.id,
    );
    expect(loop).toMatchObject({ state: "failed", error: { check: "fetch-redirects" } });
    const file = await api.post("/images/imports", { url: "file:///etc/passwd", name: "nope" });
    expect(file.status).toBe(400);
    expect(file.body.error.details.field).toBe("url");
    const missing = await finished(
      api,
      (await api.post("/images/imports", { url: `${webUrl}/gone`, name: "gone" })).body.id,
    );
    expect(missing).toMatchObject({ state: "failed", error: { check: "fetch-status" } });
  });

  it("fails loudly on a wrong published checksum and registers nothing", async () => {
    const api = world.customer1.api;
    const queued = await uploadImage(c, world.customer1.token, vdi, {
      name: "tampered",
      sha256: "0".repeat(64),
    });
    const job = await finished(api, queued.body.id);
    expect(job).toMatchObject({ state: "failed", image_id: null, error: { check: "checksum-sha256" } });
    expect(job.error.message).toMatch(/not the published 0{64}/);
    expect((await api.get("/images?name=tampered")).body.items).toEqual([]);
  });

  it("refuses every hostile disk image with its named check, leaking no host file", async () => {
    const canary = join(dir, "canary.txt");
    const secret = `CANARY-${randomBytes(8).toString("hex")}`;
    await writeFile(canary, secret);
    const fixtures = (await generateHostileCorpus(join(dir, "hostile"), canary)).filter((f) =>
      ["image", "decompress", "ova"].includes(f.kind),
    );
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    const api = world.customer1.api;
    for (const [i, f] of fixtures.entries()) {
      const queued = await uploadImage(c, world.customer1.token, f.path, {
        name: `hostile-${i}`,
        ...(f.declaredFormat ? { format: f.declaredFormat } : {}),
      });
      if (f.expectedCheck === "file-empty") {
        // An empty upload is refused before any job exists.
        expect(queued.status).toBe(400);
        expect(queued.body.error.message).toMatch(/empty/);
        continue;
      }
      expect(queued.status, `${f.name}: ${JSON.stringify(queued.body)}`).toBe(202);
      const job = await finished(api, queued.body.id);
      expect(job.state, f.name).toBe("failed");
      expect(job.error.check, `${f.name}: ${job.error.message}`).toBe(f.expectedCheck);
      expect(JSON.stringify(job)).not.toContain(secret);
    }
    expect(
      (await api.get("/images?limit=200")).body.items.filter((i: any) => i.name.startsWith("hostile-")),
    ).toEqual([]);
  }, 180_000);

  it("exports to VDI, VMDK and OVA that pass qemu-img check, and a round trip keeps the content", async () => {
    const api = world.customer1.api;
    const source = (await api.get("/images?name=uploaded-vmdk")).body.items[0];
    const original = await contentSha256(raw, "raw", dir);
    for (const format of ["vdi", "vmdk", "ova"] as const) {
      const queued = await api.post(`/images/${source.id}/exports`, { format });
      expect(queued.status, JSON.stringify(queued.body)).toBe(202);
      const job = await finished(api, queued.body.id);
      expect(job.state, JSON.stringify(job)).toBe("succeeded");
      const res = await fetch(`${c.url}/image-jobs/${job.id}/download`, {
        headers: { authorization: `Bearer ${world.customer1.token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toContain(`uploaded-vmdk.${format}`);
      const out = join(dir, `export.${format}`);
      await writeFile(out, Buffer.from(await res.arrayBuffer()));
      if (format === "ova") {
        const listing = (await runProgram("tar", ["-tf", out])).stdout.trim().split("\n");
        expect(listing[0]).toMatch(/\.ovf$/);
        await runProgram("tar", ["-xf", out, "-C", dir]);
        const ovf = await readFile(join(dir, listing[0]!), "utf8");
        expect(ovf).toMatch(/<Envelope[\s\S]*<DiskSection[\s\S]*<\/Envelope>/);
      } else {
        await runProgram("qemu-img", ["check", "-f", format, out]);
        expect(await contentSha256(out, format, dir)).toBe(original);
      }
      // Back in: the same content.
      const again = await uploadImage(c, world.customer1.token, out, { name: `round-trip-${format}` });
      const back = await finished(api, again.body.id);
      expect(back.state, JSON.stringify(back)).toBe("succeeded");
      const image = await api.get(`/images/${back.image_id}`);
      expect(image.body.pipeline[2].virtual_size).toBe(64 * 1024 * 1024);
    }
    // Downloads are the owner's only.
    const jobs = (await api.get("/image-jobs?limit=200")).body.items;
    const exportJob = jobs.find((j: any) => j.kind === "export");
    const foreign = await fetch(`${c.url}/image-jobs/${exportJob.id}/download`, {
      headers: { authorization: `Bearer ${world.customer2.token}` },
    });
    expect(foreign.status).toBe(404);
  }, 180_000);

  it("imports a file and exports it through the CLI, and names the check when the import fails", async () => {
    const token = world.customer1.token;
    const imported = await runCli(c, token, [
      "images",
      "import",
      vmdk,
      "--name",
      "cli-vmdk",
      "--format",
      "vmdk",
    ]);
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toMatch(/Imported cli-vmdk as image img_/);
    const out = join(dir, "cli-export.vdi");
    const exported = await runCli(c, token, [
      "images",
      "export",
      "cli-vmdk",
      "--format",
      "vdi",
      "--out",
      out,
    ]);
    expect(exported.code, exported.output).toBe(0);
    await runProgram("qemu-img", ["check", "-f", "vdi", out]);
    expect(await contentSha256(out, "vdi", dir)).toBe(await contentSha256(raw, "raw", dir));
    const lying = await runCli(c, token, ["images", "import", vmdk, "--name", "cli-lie", "--format", "raw"]);
    expect(lying.code).not.toBe(0);
    expect(lying.output).toMatch(/Import failed \(format-mismatch\)/);
    const json = await runCli(c, token, ["-o", "json", "images", "import", vdi, "--name", "cli-json"]);
    expect(json.code, json.output).toBe(0);
    expect(JSON.parse(json.output)).toMatchObject({ state: "succeeded", kind: "import" });
  }, 120_000);

  it("runs again a job whose runner died (its lease ran out), and gives up after three attempts", async () => {
    const api = world.customer1.api;
    /** A job some controller claimed and then died with: state running, its lease long gone. */
    const abandoned = async (name: string, attempts: number) => {
      const id = newId("job");
      await mkdir(join(c.blobDir, ".image-jobs", id), { recursive: true });
      await copyFile(vdi, join(c.blobDir, ".image-jobs", id, "source"));
      await c.database.db
        .insertInto("image_jobs")
        .values({
          id,
          account_id: world.customer1.accountId,
          user_id: null,
          kind: "import",
          state: "running",
          stage: "convert",
          attempts,
          spec: JSON.stringify({ name, visibility: "private", source: { kind: "upload" } }),
          bytes_total: null,
          image_id: null,
          result: null,
          error: null,
          lease_until: new Date(Date.now() - 60_000),
          finished_at: null,
        })
        .execute();
      // Its runner job, as the dead controller left it: claimed `attempts` times, lease gone.
      await c.database.db
        .insertInto("jobs")
        .values({
          task: "image-jobs.run",
          payload: JSON.stringify({ image_job_id: id }),
          unique_key: `image-jobs.run:${id}`,
          group_key: world.customer1.accountId,
          group_limit: 1,
          state: "running",
          attempts,
          max_attempts: null,
          locked_by: "dead-controller",
          locked_until: new Date(Date.now() - 60_000),
          last_error: null,
          started_at: new Date(Date.now() - 120_000),
          finished_at: null,
        })
        .execute();
      return id;
    };
    const retried = await finished(api, await abandoned("after-crash", 1));
    expect(retried, JSON.stringify(retried)).toMatchObject({ state: "succeeded", attempts: 2 });
    expect((await api.get(`/images/${retried.image_id}`)).body.name).toBe("after-crash");
    const doomed = await finished(api, await abandoned("crashes-every-time", 3));
    expect(doomed).toMatchObject({ state: "failed", error: { check: "attempts" }, image_id: null });
  });
});
