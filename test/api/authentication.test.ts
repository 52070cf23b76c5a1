import { PassThrough } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LOG_REDACTIONS, buildApp } from "@layerboom/controller";
import { ADMIN_PASSWORD, apiClient, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { createTenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("authentication on %s", (kind) => {
  let c: TestController;

  beforeAll(async () => {
    c = await startTestController(kind);
  });
  afterAll(async () => c?.close());

  it("refuses missing, malformed and unknown tokens with 401", async () => {
    const forged = c.adminToken.slice(0, -4) + "AAAA";
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Basic abc" },
      { authorization: "Bearer nonsense" },
      { authorization: `Bearer ${forged}` },
    ];
    for (const headers of attempts) {
      const res = await apiClient(c.url).get("/servers", headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthenticated");
    }
  });

  it("refuses a revoked token and an expired token", async () => {
    const admin = apiClient(c.url, c.adminToken);
    const made = await admin.post("/tokens", { name: "short" });
    const own = apiClient(c.url, made.body.token);
    expect((await own.get("/me")).status).toBe(200);
    expect((await admin.del(`/tokens/${made.body.id}`)).body.revoked_at).not.toBeNull();
    expect((await own.get("/me")).status).toBe(401);

    const soon = await admin.post("/tokens", {
      name: "expiring",
      expires_at: new Date(Date.now() + 1500).toISOString(),
    });
    const expiring = apiClient(c.url, soon.body.token);
    expect((await expiring.get("/me")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await expiring.get("/me")).status).toBe(401);
    expect((await admin.post("/tokens", { name: "past", expires_at: "2000-01-01T00:00:00Z" })).status).toBe(
      400,
    );
  });

  it("shows a token's secret once and stores only its hash", async () => {
    const admin = apiClient(c.url, c.adminToken);
    const made = await admin.post("/tokens", { name: "once" });
    const secret = (made.body.token as string).split(".")[1] ?? "";
    const listed = await admin.get("/tokens");
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const rows = await c.database.db.selectFrom("api_tokens").select("secret_hash").execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it("throttles repeated failed logins for an account, then lets the right password in after the lock", async () => {
    const anon = apiClient(c.url);
    const tenant = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await anon.post("/auth/token", { email: tenant.email, password: "wrong-password!" })).status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const locked = await anon.post("/auth/token", { email: tenant.email, password: ADMIN_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account is not affected by this one's lock.
    expect((await anon.post("/auth/token", { email: c.adminEmail, password: ADMIN_PASSWORD })).status).toBe(
      201,
    );
    await new Promise((r) => setTimeout(r, Number(locked.headers.get("retry-after")) * 1000 + 100));
    expect((await anon.post("/auth/token", { email: tenant.email, password: ADMIN_PASSWORD })).status).toBe(
      201,
    );
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const anon = apiClient(c.url);
    const unknown = await anon.post("/auth/token", {
      email: "nobody@example.test",
      password: "whatever-123",
    });
    const wrong = await anon.post("/auth/token", { email: c.adminEmail, password: "whatever-123" });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it("logs in to the portal with an HttpOnly SameSite cookie and requires the CSRF token to change state", async () => {
    const anon = apiClient(c.url);
    const login = await anon.post("/auth/session", { email: c.adminEmail, password: ADMIN_PASSWORD });
    expect(login.status).toBe(201);
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(";")[0] ?? "";
    expect((await anon.get("/me", { cookie })).status).toBe(200);
    const body = { name: "csrf-site", country_code: "CA", time_zone: "UTC" };
    expect((await anon.post("/sites", body, { cookie })).status).toBe(403);
    expect((await anon.post("/sites", body, { cookie, "x-csrf-token": login.body.csrf_token })).status).toBe(
      201,
    );
    expect(
      (
        await anon.call("DELETE", "/auth/session", undefined, {
          cookie,
          "x-csrf-token": login.body.csrf_token,
        })
      ).status,
    ).toBe(204);
    expect((await anon.get("/me", { cookie })).status).toBe(401);
  });

  it("never returns or logs password hashes, passwords or tokens", async () => {
    const lines: string[] = [];
    const sink = new PassThrough();
    sink.on("data", (d: Buffer) => lines.push(d.toString()));
    const app = await buildApp({
      database: c.database,
      blobDir: c.blobDir,
      loggerInstance: pino({ level: "trace", redact: LOG_REDACTIONS }, sink),
    });
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/api/v1`;
    try {
      const anon = apiClient(url);
      const token = await anon.post("/auth/token", { email: c.adminEmail, password: ADMIN_PASSWORD });
      const api = apiClient(url, token.body.token);
      const made = await api.post("/users", {
        email: "hashcheck@example.test",
        role: "provider-admin",
        password: "another password 123",
      });
      const responses = [
        made,
        await api.get(`/users/${made.body.id}`),
        await api.get("/users?limit=200"),
        await api.get("/me"),
      ];
      const hashes = await c.database.db.selectFrom("users").select("password_hash").execute();
      await new Promise((r) => setTimeout(r, 50));
      const logged = lines.join("");
      expect(logged.length).toBeGreaterThan(0);
      for (const text of [...responses.map((r) => JSON.stringify(r.body)), logged]) {
        expect(text).not.toContain("$argon2id$");
        expect(text).not.toContain(ADMIN_PASSWORD);
        expect(text).not.toContain("another password 123");
        expect(text).not.toContain(token.body.token);
        for (const h of hashes) if (h.password_hash) expect(text).not.toContain(h.password_hash);
      }
    } finally {
      await app.close();
    }
  });
});
