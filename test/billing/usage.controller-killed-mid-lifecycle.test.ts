import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDemoCatalog } from "@layerboom/controller";
import { openDatabase } from "@layerboom/db";
import type { Database } from "@layerboom/db";
import { createScratchPostgres } from "@layerboom/testkit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_PASSWORD, apiClient } from "../support/controller.js";
import type { ApiClient } from "../support/controller.js";
import { cliProcessArgs } from "../support/cli-process.js";
import { addIdleHost } from "../support/hosts.js";
import { describeOnEachDatabase } from "../support/databases.js";

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * `kill -9` of the controller in the middle of a server's lifecycle change, right where the
 * usage record is written, and right after the commit. The controller runs as its own
 * process (`layerboom server`) on the embedded database (a real PGlite data folder) and on
 * PostgreSQL. After a restart the usage is exact: every server has exactly the intervals of
 * its real life, never one without the other.
 */
describeOnEachDatabase("usage survives kill -9 of the controller on %s", (kind) => {
  let dataDir: string;
  let dropPostgres: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  let running: Running | undefined;
  let admin: ApiClient;
  let customerId: string;
  let body: Record<string, string>;

  async function start(crashAt?: string): Promise<Running> {
    const child = spawn(
      process.execPath,
      cliProcessArgs(["server", "--port", "0", "--data-dir", dataDir, "--log-level", "warn"]),
      {
        cwd: join(import.meta.dirname, "../.."),
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          LAYERBOOM_ADMIN_EMAIL: "admin@crash.test",
          LAYERBOOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "" }),
          ...(crashAt ? { LAYERBOOM_CRASH_AT: crashAt } : { LAYERBOOM_CRASH_AT: "" }),
        },
      },
    );
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.once("exit", (code, signal) => resolve(signal ?? code)),
    );
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`controller did not start:\n${output}`)), 60_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      void exited.then(() => reject(new Error(`controller exited at start:\n${output}`)));
    });
    return { child, url: `${url}/api/v1`, exited };
  }

  async function stop(): Promise<void> {
    if (!running) return;
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill("SIGTERM");
    await running.exited;
    running = undefined;
  }

  /** Reads the database with the controller down (PGlite allows one process at a time). */
  async function inspect<T>(read: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(databaseUrl ? { url: databaseUrl } : { dataDir: join(dataDir, "db") });
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  }

  async function login(r: Running): Promise<ApiClient> {
    const res = await apiClient(r.url).post("/auth/token", {
      email: "admin@crash.test",
      password: ADMIN_PASSWORD,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return apiClient(r.url, res.body.token as string);
  }

  /** A request the controller dies in the middle of: the connection drops, no answer comes. */
  async function dies(r: Running, request: () => Promise<unknown>): Promise<void> {
    await expect(request()).rejects.toThrow();
    expect(await r.exited).toBe("SIGKILL");
  }

  beforeAll(async () => {
    if (kind === "postgres") {
      const scratch = await createScratchPostgres();
      databaseUrl = scratch.location;
      dropPostgres = () => scratch.drop();
    }
    dataDir = await mkdtemp(join(tmpdir(), "lb-crash-"));
    running = await start();
    await stop();
    // The catalogue and a host without an agent, written while the controller is down.
    const siteId = await inspect(async (db) => {
      await seedDemoCatalog(db, "America/Toronto");
      const site = await db.db.selectFrom("sites").select("id").executeTakeFirstOrThrow();
      await addIdleHost({ database: db }, site.id, "idle");
      return site.id;
    });
    running = await start();
    admin = await login(running);
    const customer = await admin.post("/accounts", { kind: "customer", name: "Crash Test Dummies" });
    customerId = customer.body.id as string;
    const plan = (await admin.get("/plans")).body.items[0].id as string;
    const image = await admin.post("/images", { name: "img", visibility: "public", format: "kernel+initrd" });
    body = { account_id: customerId, site_id: siteId, plan_id: plan, image_id: image.body.id };
    await stop();
  }, 180_000);

  afterAll(async () => {
    await stop();
    await dropPostgres?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("a kill between the server row and its usage record loses both: no server, no usage", async () => {
    running = await start("server-created-before-usage");
    const api = await login(running);
    await dies(running, () => api.post("/servers", { ...body, name: "lost" }));
    const left = await inspect(async (db) => ({
      servers: await db.db.selectFrom("servers").select("id").where("name", "=", "lost").execute(),
      usage: await db.db
        .selectFrom("usage_intervals")
        .select("id")
        .where("account_id", "=", customerId)
        .execute(),
    }));
    expect(left).toEqual({ servers: [], usage: [] });
  }, 120_000);

  it("a kill right after the commit keeps both: the server and exactly one open interval from its creation", async () => {
    running = await start("server-created-after-commit");
    const api = await login(running);
    await dies(running, () => api.post("/servers", { ...body, name: "kept" }));
    const rows = await inspect(async (db) =>
      db.db
        .selectFrom("servers")
        .innerJoin("usage_intervals", "usage_intervals.server_id", "servers.id")
        .select([
          "servers.id",
          "servers.created_at",
          "usage_intervals.started_at",
          "usage_intervals.ended_at",
        ])
        .where("servers.name", "=", "kept")
        .execute(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.started_at.getTime()).toBe(rows[0]!.created_at.getTime());
    expect(rows[0]!.ended_at).toBeNull();
  }, 120_000);

  it("a kill in the middle of a delete leaves the server billed; the delete after restart ends its usage once", async () => {
    running = await start("server-deleted-before-usage");
    let api = await login(running);
    const id = (await api.get("/servers?name=kept")).body.items[0].id as string;
    await dies(running, () => api.del(`/servers/${id}`));
    const mid = await inspect(async (db) => ({
      server: await db.db
        .selectFrom("servers")
        .select("desired_state")
        .where("id", "=", id)
        .executeTakeFirstOrThrow(),
      usage: await db.db
        .selectFrom("usage_intervals")
        .select("ended_at")
        .where("server_id", "=", id)
        .execute(),
    }));
    expect(mid).toEqual({ server: { desired_state: "running" }, usage: [{ ended_at: null }] });

    running = await start();
    api = await login(running);
    expect((await api.del(`/servers/${id}`)).status).toBe(200);
    await stop();
    const after = await inspect(async (db) => ({
      server: await db.db
        .selectFrom("servers")
        .select(["desired_state", "updated_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow(),
      usage: await db.db
        .selectFrom("usage_intervals")
        .select(["started_at", "ended_at"])
        .where("server_id", "=", id)
        .execute(),
    }));
    expect(after.server.desired_state).toBe("deleted");
    expect(after.usage).toHaveLength(1);
    expect(after.usage[0]!.ended_at?.getTime()).toBe(after.server.updated_at.getTime());
  }, 120_000);

  it("a kill while turning backups on loses the switch and its add-on interval together; on again bills once", async () => {
    running = await start();
    let api = await login(running);
    const created = await api.post("/servers", { ...body, name: "backed-up" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    await stop();

    running = await start("backups-toggled-before-addon");
    api = await login(running);
    await dies(running, () => api.put(`/servers/${id}/backups-enabled`, { enabled: true }));
    const readBackups = () =>
      inspect(async (db) => ({
        server: await db.db
          .selectFrom("servers")
          .select("backups_enabled")
          .where("id", "=", id)
          .executeTakeFirstOrThrow(),
        addons: await db.db
          .selectFrom("addon_intervals")
          .select("ended_at")
          .where("server_id", "=", id)
          .execute(),
      }));
    expect(await readBackups()).toEqual({ server: { backups_enabled: false }, addons: [] });

    running = await start();
    api = await login(running);
    expect((await api.put(`/servers/${id}/backups-enabled`, { enabled: true })).status).toBe(200);
    await stop();
    expect(await readBackups()).toEqual({ server: { backups_enabled: true }, addons: [{ ended_at: null }] });
  }, 120_000);
});
