import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { hostileNames, tooLongNames } from "@layerboom/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { jobFinished, makeQcow2, uploadImage } from "../support/image-jobs.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** Every file and folder under `root`, with a digest of each file's content. */
async function listTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        out.set(relative(root, path) + sep, "dir");
        await walk(path);
      } else {
        const info = await stat(path);
        // Big sparse exports are recognised by name and size; small files by content.
        out.set(
          relative(root, path),
          info.size > 16 * 1024 * 1024
            ? `size:${info.size}`
            : createHash("sha256")
                .update(await readFile(path))
                .digest("hex"),
        );
      }
    }
  };
  await walk(root);
  return out;
}

const JOB_ID = "job_[0-9a-z]{26}";
/** What the platform may write: blobs named by digest, job folders named by id holding files named by us. */
const ALLOWED_NEW = [
  new RegExp(`^data/blobs/[0-9a-f]{64}$`),
  new RegExp(`^data/blobs/\\.image-jobs/$`),
  new RegExp(`^data/blobs/\\.boot-kit/$`),
  new RegExp(`^data/blobs/\\.image-jobs/${JOB_ID}/$`),
  new RegExp(
    `^data/blobs/\\.image-jobs/${JOB_ID}/(source|source\\.sums\\.json|export\\.(qcow2|raw|vdi|vmdk|ova))$`,
  ),
];

describeOnEachDatabase("hostile image names stay in their folder on %s", (kind) => {
  let c: TestController;
  let root: string;
  let disk: string;
  let tenant: Tenant;
  let before: Map<string, string>;

  beforeAll(async () => {
    // root/ holds files the platform must never touch, the data folder and the blob folder
    // inside it, so a name that climbs out of its job folder lands somewhere this test watches.
    root = await mkdtemp(join(tmpdir(), "lb-hostile-names-"));
    await mkdir(join(root, "data", "blobs"), { recursive: true });
    await mkdir(join(root, "etc"), { recursive: true });
    for (const f of ["x", "x.qcow2", "data/x", "data/x.qcow2", "data/blobs/x.qcow2", "etc/passwd"])
      await writeFile(join(root, f), `sentinel ${f}\n`);
    c = await startTestController(kind, { blobDir: join(root, "data", "blobs") });
    tenant = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    const work = await mkdtemp(join(tmpdir(), "lb-hostile-names-src-"));
    disk = join(work, "disk.qcow2");
    await makeQcow2(disk, "8M");
    before = await listTree(root);
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    if (root) await rm(root, { recursive: true, force: true });
    if (disk) await rm(join(disk, ".."), { recursive: true, force: true });
  });

  it("imports and exports under every hostile name, writing only generated names in the job and blob folders", async () => {
    const api = tenant.api;
    const exportFormats = ["qcow2", "raw", "ova"] as const;
    for (const [i, { why, name }] of hostileNames.entries()) {
      const queued = await uploadImage(c, tenant.token, disk, { name, filename: name, format: "qcow2" });
      expect(queued.status, `${why}: ${JSON.stringify(queued.body)}`).toBe(202);
      const imported = await jobFinished(api, queued.body.id);
      expect(imported.state, `${why}: ${JSON.stringify(imported)}`).toBe("succeeded");
      const image = await api.get(`/images/${imported.image_id}`);
      expect(image.body.name).toBe(name);
      // Every name gets one export; a few get every format (the OVA names its members too).
      for (const format of i < 5 ? exportFormats : (["qcow2"] as const)) {
        const exporting = await api.post(`/images/${imported.image_id}/exports`, { format });
        expect(exporting.status, `${why}: ${JSON.stringify(exporting.body)}`).toBe(202);
        const exported = await jobFinished(api, exporting.body.id);
        expect(exported.state, `${why} as ${format}: ${JSON.stringify(exported)}`).toBe("succeeded");
        // No controller path in what the API shows.
        expect(JSON.stringify(exported)).not.toContain(root);
        expect(Object.keys(exported.result).sort()).toEqual(["bytes", "filename", "sha256"]);
        const res = await fetch(`${c.url}/image-jobs/${exported.id}/download`, {
          headers: { authorization: `Bearer ${tenant.token}` },
        });
        expect(res.status).toBe(200);
        const disposition = res.headers.get("content-disposition") ?? "";
        expect(disposition).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[^\s"]+$/);
        expect(res.headers.get("set-cookie")).toBeNull();
        const encoded = /filename\*=UTF-8''(.*)$/.exec(disposition)![1]!;
        expect(decodeURIComponent(encoded)).toBe(`${name}.${format}`);
        await res.body?.cancel();
      }
    }
    const after = await listTree(root);
    // Nothing outside the job and blob folders was written or changed, and nothing was deleted.
    for (const [path, digest] of before) expect(after.get(path), `${path} changed or vanished`).toBe(digest);
    const added = [...after.keys()].filter((p) => !before.has(p));
    expect(added.length).toBeGreaterThan(0);
    for (const path of added)
      expect(
        ALLOWED_NEW.some((re) => re.test(path)),
        `unexpected ${path}`,
      ).toBe(true);
  }, 300_000);

  it("refuses names past the limits with a 400 that names the field, leaving no folder behind", async () => {
    const jobs = await readdir(join(root, "data", "blobs", ".image-jobs")).catch(() => [] as string[]);
    for (const { why, name } of tooLongNames) {
      const upload = await uploadImage(c, tenant.token, disk, { name });
      expect(upload.status, why).toBe(400);
      expect(upload.body.error.details.field, why).toBe("name");
      const register = await tenant.api.post("/images", { name, visibility: "private" });
      expect(register.status, why).toBe(400);
      expect(register.body.error.details.field, why).toBe("name");
    }
    expect(await readdir(join(root, "data", "blobs", ".image-jobs"))).toEqual(jobs);
  });
});
