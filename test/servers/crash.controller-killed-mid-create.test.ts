import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobStore, catalogImageFromFiles } from "@layerboom/controller";
import { openDatabase } from "@layerboom/db";
import { ensureTinyGuest, guestImageFiles, scratchDatabase } from "@layerboom/testkit";
import type { ScratchDatabase } from "@layerboom/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  eventually,
  hostFolders,
  qemuProcessesUnder,
  serverReaches,
  spawnAgentProcess,
  sweepHost,
} from "../support/hosts.js";
import { cliProcessArgs } from "../support/cli-process.js";
import type { HostFolders } from "../support/hosts.js";
import { describeOnDatabase } from "../support/databases.js";
import { createTenant } from "../support/tenants.js";

const repo = join(import.meta.dirname, "..", "..");
const ADMIN = { email: "admin@crash.test", password: "a long admin password" };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The controller runs as its own process (`layerboom server` on PostgreSQL) and is killed
 * with SIGKILL while create requests are in flight. After a restart, a client that retries
 * with the same Idempotency-Key ends up with exactly one server, and it boots exactly once.
 */
describeOnDatabase("postgres", "kill -9 of the controller during create", () => {
  let scratch: ScratchDatabase;
  let dataDir: string;
  let folders: HostFolders;
  let port: number;
  let controller: ChildProcess | undefined;
  let agent: ChildProcess | undefined;
  let customer: ApiClient;
  let body: { site_id: string; plan_id: string; image_id: string };
  let survivorId = "";
  let survivorPids: number[] = [];
  const fake = {} as TestController;

  async function startControllerProcess(): Promise<void> {
    const child = spawn(
      process.execPath,
      cliProcessArgs(["server", "--port", String(port), "--data-dir", dataDir, "--log-level", "warn"]),
      {
        cwd: repo,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          DATABASE_URL: scratch?.location,
          LAYERBOOM_ADMIN_EMAIL: ADMIN.email,
          LAYERBOOM_ADMIN_PASSWORD: ADMIN.password,
        },
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    controller = child;
    await eventually(
      "the controller to listen",
      async () => (/listening on/.test(output) ? true : undefined),
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${output}`);
    });
  }

  function killController(): Promise<void> {
    const child = controller;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  beforeAll(async () => {
    scratch = await scratchDatabase("postgres");
    dataDir = await mkdtemp(join(tmpdir(), "lbc-"));
    port = await freePort();
    await startControllerProcess();
    const url = `http://127.0.0.1:${port}/api/v1`;
    Object.assign(fake, { url });
    const login = await apiClient(url).post("/auth/token", ADMIN);
    const provider = apiClient(url, login.body.token);
    const site = await provider.post("/sites", {
      name: "crash-site",
      country_code: "CA",
      time_zone: "America/Toronto",
    });
    const plan = await provider.post("/plans", {
      name: "nano",
      vcpus: 1,
      memory_mib: 256,
      disk_gib: 2,
      transfer_gib: 1,
      hourly_price_minor: 1,
      monthly_cap_minor: 100,
      currency: "CAD",
    });
    const guest = await ensureTinyGuest();
    const database = await openDatabase({ url: scratch.location });
    const image = await catalogImageFromFiles(database, new BlobStore(join(dataDir, "blobs")), {
      name: "tiny",
      ...guestImageFiles(guest),
    });
    await database.close();
    folders = await hostFolders();
    const { hostId, joinToken } = await addHost(provider, site.body.id, "hv-crash");
    agent = spawnAgentProcess({ url } as TestController, folders, joinToken);
    await eventually(
      "host up",
      async () => ((await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined),
      90_000,
    );
    // The customer logs in through the fake handle's url; createTenant only needs that.
    customer = (await createTenant({ ...fake, url }, provider, "customer")).api;
    body = { site_id: site.body.id, plan_id: plan.body.id, image_id: image.id };
    // A server that runs through every controller crash below.
    const kept = await customer.post("/servers", { ...body, name: "survivor" });
    survivorId = kept.body.id as string;
    await serverReaches(customer, survivorId, "running", 120_000);
    survivorPids = await qemuProcessesUnder(folders.runDir);
  }, 300_000);

  afterAll(async () => {
    agent?.kill("SIGKILL");
    await killController();
    if (folders) await sweepHost(folders);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  });

  it.each([0, 15, 40, 120])(
    "loses and duplicates nothing when killed %i ms into a create",
    async (delayMs) => {
      const name = `crash-${delayMs}`;
      const key = `create-${name}`;
      const inFlight = customer
        .post("/servers", { ...body, name }, { "idempotency-key": key })
        .catch(() => undefined);
      await new Promise((r) => setTimeout(r, delayMs));
      await killController();
      await inFlight;
      await startControllerProcess();

      // The client retries with the same key until it gets an answer that is not "in progress".
      const answer = await eventually(
        "a definitive answer to the retried create",
        async () => {
          const res = await customer.post("/servers", { ...body, name }, { "idempotency-key": key });
          return res.status === 409 && res.body.error.code === "idempotency_key_conflict" ? undefined : res;
        },
        150_000,
      );
      // 201: created (now or replayed); 409 name conflict: the first attempt committed but its reply was lost.
      expect([201, 409]).toContain(answer.status);
      const servers = (await customer.get(`/servers?name=${name}`)).body.items as { id: string }[];
      expect(servers).toHaveLength(1);
      await serverReaches(customer, servers[0]?.id ?? "", "running", 120_000);
      await customer.del(`/servers/${servers[0]?.id ?? ""}`);
      await eventually(
        "the server to be deleted",
        async () =>
          (await customer.get(`/servers/${servers[0]?.id ?? ""}`)).status === 404 ? true : undefined,
        120_000,
      );
      // Only the survivor is left, in the same QEMU it had before the crash.
      expect(await qemuProcessesUnder(folders.runDir)).toEqual(survivorPids);
    },
    400_000,
  );

  it("kept the other server running, untouched, through every crash", async () => {
    expect(survivorPids).toHaveLength(1);
    expect((await customer.get(`/servers/${survivorId}`)).body.observed_state).toBe("running");
    expect(await qemuProcessesUnder(folders.runDir)).toEqual(survivorPids);
    await customer.del(`/servers/${survivorId}`);
    await eventually(
      "the survivor to be deleted",
      async () => ((await customer.get(`/servers/${survivorId}`)).status === 404 ? true : undefined),
      120_000,
    );
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);
  }, 200_000);
});
