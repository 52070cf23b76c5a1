import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_PASSWORD, apiClient, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { cliProcessArgs } from "../support/cli-process.js";
import { originOf } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** The code an authenticator app would show, computed with the same library the controller uses. */
function codeAt(secret: string, timestamp = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp });
}

/** Runs `layerboom login` from source with its own config folder; the password goes on stdin. */
async function cliLogin(c: TestController, email: string, extra: string[]) {
  const configDir = await mkdtemp(join(tmpdir(), "lb-cli-2fa-"));
  try {
    const [node, ...argv] = [
      process.execPath,
      ...cliProcessArgs(["login", originOf(c), "--email", email, "--password-stdin", ...extra]),
    ];
    const child = spawn(node ?? "", argv, {
      cwd: join(import.meta.dirname, "..", ".."),
      env: { ...process.env, LAYERBOOM_CONFIG_DIR: configDir, LAYERBOOM_TOKEN: "", LAYERBOOM_URL: "" },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.stdin.end(`${ADMIN_PASSWORD}\n`);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const config = await readFile(join(configDir, "config.json"), "utf8").catch(() => "");
    return { code, output, config };
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
}

/**
 * Waits out the end of a 30-second step when little of it is left, so that codes a test
 * computes for "a step ago", "now" and "a step ahead" stay inside the controller's window.
 */
async function awayFromStepEnd(marginMs = 10_000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}

/**
 * Issue 12, two-factor login (TOTP, RFC 6238) with recovery codes: enrolment, login in two
 * steps, no replay, recovery codes used once, wrong codes throttled, and an account that
 * requires it for its users.
 */
describeOnEachDatabase("two-factor login on %s", (kind) => {
  let c: TestController;

  beforeAll(async () => {
    c = await startTestController(kind);
  });
  afterAll(async () => c?.close());

  async function session(email: string) {
    const res = await apiClient(c?.url ?? "").post("/auth/session", { email, password: ADMIN_PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const headers = { cookie, "x-csrf-token": res.body.csrf_token as string };
    const anon = apiClient(c?.url ?? "");
    return {
      body: res.body,
      cookie,
      get: (path: string) => anon.get(path, { cookie }),
      send: (method: string, path: string, body?: unknown) => anon.call(method, path, body ?? {}, headers),
    };
  }

  /**
   * Enrols a tenant's admin with the previous step's code (still inside the window), so the
   * current step's code is left for the test. Returns the secret and the recovery codes.
   */
  async function enrol(tenant: Tenant) {
    await awayFromStepEnd();
    const s = await session(tenant.email);
    const started = await s.send("POST", "/me/two-factor/enrolment");
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const secret = started.body.secret as string;
    const confirmed = await s.send("POST", "/me/two-factor/enrolment/confirm", {
      code: codeAt(secret, Date.now() - 30_000),
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    return { secret, recoveryCodes: confirmed.body.recovery_codes as string[], session: s };
  }

  it("enrols with a first code, shows ten recovery codes once, and keeps the secret sealed", async () => {
    const tenant = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    const elsewhere = await session(tenant.email);
    const s = await session(tenant.email);
    expect((await s.get("/me/two-factor")).body).toMatchObject({
      enabled: false,
      required_by_account: false,
    });
    const started = await s.send("POST", "/me/two-factor/enrolment");
    expect(started.status).toBe(201);
    const secret = started.body.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=/);
    expect(started.body.otpauth_uri).toContain(`secret=${secret}`);
    const row = await c.database.db
      .selectFrom("user_two_factor")
      .select("secret_sealed")
      .where("user_id", "=", tenant.userId)
      .executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(secret);

    // Until confirmed, nothing changes for logins.
    expect(
      (await apiClient(c.url).post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD }))
        .status,
    ).toBe(201);
    const wrong = await s.send("POST", "/me/two-factor/enrolment/confirm", { code: "000000" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.field).toBe("code");
    const confirmed = await s.send("POST", "/me/two-factor/enrolment/confirm", { code: codeAt(secret) });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const codes = confirmed.body.recovery_codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(confirmed.body.sessions_revoked).toBeGreaterThanOrEqual(2);

    const status = await s.get("/me/two-factor");
    expect(status.body).toMatchObject({ enabled: true, recovery_codes_left: 10 });
    expect(JSON.stringify(status.body)).not.toContain(codes[0]);
    const stored = await c.database.db
      .selectFrom("recovery_codes")
      .selectAll()
      .where("user_id", "=", tenant.userId)
      .execute();
    expect(JSON.stringify(stored)).not.toContain((codes[0] ?? "").replace(/-/g, ""));
    // The other session, opened with the password alone, ended; API tokens did not.
    expect((await elsewhere.get("/me")).status).toBe(401);
    expect((await tenant.api.get("/me")).status).toBe(200);
    expect((await s.send("POST", "/me/two-factor/enrolment")).status).toBe(409);
  });

  it("logs in with the password and then the code; a code works once; the login token works once", async () => {
    const tenant = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    const { secret, recoveryCodes } = await enrol(tenant);
    const anon = apiClient(c.url);

    const first = await anon.post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ two_factor_required: true });
    expect(first.headers.get("set-cookie")).toBeNull();
    const now = Date.now();
    const code = codeAt(secret, now);
    const done = await anon.post("/auth/session/two-factor", { login_token: first.body.login_token, code });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const cookie = (done.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect((await anon.get("/me", { cookie })).body.id).toBe(tenant.userId);

    const spent = await anon.post("/auth/session/two-factor", { login_token: first.body.login_token, code });
    expect(spent.status).toBe(401);
    expect(spent.body.error.details.field).toBe("login_token");

    // The same code again, on a fresh login: refused within its window.
    const second = await anon.post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD });
    const replay = await anon.post("/auth/session/two-factor", {
      login_token: second.body.login_token,
      code,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/already used/);
    // The next step's code works (the window allows one step ahead)...
    const next = await anon.post("/auth/session/two-factor", {
      login_token: second.body.login_token,
      code: codeAt(secret, now + 30_000),
    });
    expect(next.status, JSON.stringify(next.body)).toBe(201);

    // ...and an API token login takes the same second step: an older code is refused there
    // too, and a recovery code finishes it.
    const tokenLogin = await anon.post("/auth/token", { email: tenant.email, password: ADMIN_PASSWORD });
    expect(tokenLogin.status).toBe(202);
    const wrongRoute = await anon.post("/auth/session/two-factor", {
      login_token: tokenLogin.body.login_token,
      code: recoveryCodes[0],
    });
    expect(wrongRoute.status).toBe(401);
    expect(wrongRoute.body.error.details.field).toBe("login_token");
    const older = await anon.post("/auth/token/two-factor", {
      login_token: tokenLogin.body.login_token,
      code,
    });
    expect(older.status).toBe(401);
    const token = await anon.post("/auth/token/two-factor", {
      login_token: tokenLogin.body.login_token,
      code: recoveryCodes[0],
    });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    expect((await apiClient(c.url, token.body.token).get("/me")).body.id).toBe(tenant.userId);
  });

  it("logs in from the CLI with --code, and says what is missing without it", async () => {
    const tenant = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    const { secret } = await enrol(tenant);
    const without = await cliLogin(c, tenant.email, []);
    expect(without.code).not.toBe(0);
    expect(without.output).toMatch(/two-factor login on.*--code/s);
    const withCode = await cliLogin(c, tenant.email, ["--code", codeAt(secret)]);
    expect(withCode.code, withCode.output).toBe(0);
    expect(withCode.output).toMatch(/Logged in/);
    const saved = JSON.parse(withCode.config) as { token: string };
    expect((await apiClient(c.url, saved.token).get("/me")).body.id).toBe(tenant.userId);
  });

  it("throttles wrong codes per user, across login tokens", async () => {
    const tenant = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    const { secret } = await enrol(tenant);
    const anon = apiClient(c.url);
    const first = await anon.post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await anon.post("/auth/session/two-factor", { login_token: first.body.login_token, code: "123456" }))
          .status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    // Five wrong codes spend the login token...
    expect(statuses[5]).toBe(401);
    // ...and a new one (the password again) still waits out the user's code lock, even with the right code.
    const again = await anon.post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD });
    const locked = await anon.post("/auth/session/two-factor", {
      login_token: again.body.login_token,
      code: codeAt(secret),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("accepts each recovery code once, and turns off only with a code or the password", async () => {
    const tenant = await createTenant(c, apiClient(c.url, c.adminToken), "customer");
    const { secret, recoveryCodes } = await enrol(tenant);
    const anon = apiClient(c.url);
    const recovery = (recoveryCodes[0] ?? "").toUpperCase();
    const one = await anon.post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD });
    const used = await anon.post("/auth/session/two-factor", {
      login_token: one.body.login_token,
      code: recovery,
    });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    const two = await anon.post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD });
    const reused = await anon.post("/auth/session/two-factor", {
      login_token: two.body.login_token,
      code: recovery,
    });
    expect(reused.status).toBe(401);
    const cookie = (used.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const csrf = used.body.csrf_token as string;
    expect((await anon.get("/me/two-factor", { cookie })).body.recovery_codes_left).toBe(9);

    const off = (body: Record<string, unknown>) =>
      anon.call("DELETE", "/me/two-factor", body, { cookie, "x-csrf-token": csrf });
    expect((await off({})).status).toBe(400);
    const wrongPassword = await off({ password: "not the password" });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.error.details.field).toBe("password");
    expect((await off({ code: codeAt(secret) })).status).toBe(204);
    expect((await anon.post("/auth/session", { email: tenant.email, password: ADMIN_PASSWORD })).status).toBe(
      201,
    );
    expect(
      await c.database.db
        .selectFrom("recovery_codes")
        .selectAll()
        .where("user_id", "=", tenant.userId)
        .execute(),
    ).toEqual([]);
  });

  it("lets an account require it: users without it reach only enrolment, and tokens stay as they were", async () => {
    const provider = apiClient(c.url, c.adminToken);
    const admin = await createTenant(c, provider, "customer");
    const stranger = await createTenant(c, provider, "customer");
    const memberEmail = `member-2fa-${Date.now()}@example.test`;
    const made = await provider.post("/users", {
      account_id: admin.accountId,
      email: memberEmail,
      role: "customer-member",
      password: ADMIN_PASSWORD,
    });
    expect(made.status).toBe(201);
    const memberToken = await apiClient(c.url).post("/auth/token", {
      email: memberEmail,
      password: ADMIN_PASSWORD,
    });
    expect(memberToken.status).toBe(201);
    const policy = `/accounts/${admin.accountId}/two-factor`;

    // The admin must have it on first, so the switch cannot shut its author into enrolment.
    const early = await admin.api.put(policy, { required: true });
    expect(early.status).toBe(409);
    const { secret } = await enrol(admin);
    expect((await stranger.api.put(policy, { required: true })).status).toBe(404);
    expect((await apiClient(c.url, memberToken.body.token).put(policy, { required: true })).status).toBe(403);
    const set = await admin.api.put(policy, { required: true });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect((await admin.api.get(policy)).body).toEqual({ account_id: admin.accountId, required: true });

    const member = await session(memberEmail);
    expect(member.body.two_factor_enrolment_required).toBe(true);
    const refused = await member.get("/servers");
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.reason).toBe("two_factor_enrolment_required");
    expect((await member.send("POST", "/ssh-keys", { name: "x", public_key: "x" })).status).toBe(403);
    expect((await member.get("/me")).status).toBe(200);
    expect((await member.get("/me/two-factor")).body).toMatchObject({
      enabled: false,
      required_by_account: true,
    });
    // A password alone gets no new API token; the token made before still works.
    const tokenLogin = await apiClient(c.url).post("/auth/token", {
      email: memberEmail,
      password: ADMIN_PASSWORD,
    });
    expect(tokenLogin.status).toBe(403);
    expect(tokenLogin.body.error.details.reason).toBe("two_factor_enrolment_required");
    expect((await apiClient(c.url, memberToken.body.token).get("/servers")).status).toBe(200);

    const started = await member.send("POST", "/me/two-factor/enrolment");
    expect(started.status).toBe(201);
    const confirmed = await member.send("POST", "/me/two-factor/enrolment/confirm", {
      code: codeAt(started.body.secret as string),
    });
    expect(confirmed.status).toBe(200);
    expect((await member.get("/servers")).status).toBe(200);

    // An admin resets a member who lost the device; a stranger cannot even see the member.
    const memberId = made.body.id as string;
    expect((await stranger.api.del(`/users/${memberId}/two-factor`)).status).toBe(404);
    const adminSession = await apiClient(c.url).post("/auth/session", {
      email: admin.email,
      password: ADMIN_PASSWORD,
    });
    expect(adminSession.status).toBe(202);
    expect(secret).toBeTruthy();
    expect((await admin.api.del(`/users/${memberId}/two-factor`)).status).toBe(204);
    expect((await member.get("/servers")).status).toBe(403);
    expect((await admin.api.put(policy, { required: false })).status).toBe(200);
    expect((await member.get("/servers")).status).toBe(200);
  });
});
