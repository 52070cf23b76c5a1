import { createSmtpMailer } from "@layerboom/controller";
import type { Mailer } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, ApiResponse, TestController } from "../support/controller.js";
import { linkToken, startSmtpSink } from "../support/smtp-sink.js";
import type { SmtpSink, SunkMail } from "../support/smtp-sink.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

const PUBLIC_URL = "https://panel.example.test";
const PASSWORD = "an invited user's own password";

/** The token of the accept-invitation link in a mail, or undefined when the mail has none. */
function tokenIn(mail: SunkMail): string | undefined {
  return linkToken(mail, PUBLIC_URL, "accept-invitation");
}

/** What a response shows, with the values that differ between any two invitations blanked. */
function shape(res: ApiResponse) {
  const body = { ...res.body } as Record<string, unknown>;
  for (const key of ["id", "email", "created_at", "expires_at"]) if (key in body) body[key] = "*";
  return { status: res.status, body, keys: Object.keys(res.body as object).sort() };
}

let counter = 0;
const address = (label: string) => `${label}-${++counter}-${Date.now()}@invited.test`;

describeOnEachDatabase("invitations on %s", (kind) => {
  let c: TestController;
  let sink: SmtpSink;
  let mailer: Mailer;
  let anon: ApiClient;
  let provider: ApiClient;
  let reseller: Tenant;
  let customer: Tenant;
  let stranger: Tenant;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = createSmtpMailer({ smtpUrl: sink.url, from: "Layerboom <noreply@panel.example.test>" });
    c = await startTestController(kind, { mailer, publicUrl: PUBLIC_URL });
    anon = apiClient(c.url);
    provider = apiClient(c.url, c.adminToken);
    reseller = await createTenant(c, provider, "reseller");
    customer = await createTenant(c, reseller.api, "customer", reseller.accountId, { name: "Bakery Ltd" });
    stranger = await createTenant(c, provider, "customer");
  });
  afterAll(async () => {
    await c?.close();
    mailer?.close();
    await sink?.close();
  });

  async function invite(by: ApiClient, body: Record<string, unknown>) {
    const res = await by.post("/invitations", body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res;
  }

  async function linkFor(email: string): Promise<string> {
    const mail = await sink.waitFor(email, (m) => tokenIn(m) !== undefined);
    return tokenIn(mail) ?? "";
  }

  it("invites an address that joins with a password of its own choosing, and can log in", async () => {
    const email = address("member");
    const sent = await invite(customer.api, { email, role: "customer-member", name: "Mia" });
    expect(sent.body).toMatchObject({
      account_id: customer.accountId,
      email,
      role: "customer-member",
      status: "pending",
      invited_by: customer.userId,
      user_id: null,
    });
    const mail = await sink.waitFor(email);
    expect(mail.subject).toMatch(/invited you to Bakery Ltd/);
    const token = tokenIn(mail) ?? "";
    const stored = await c.database.db.selectFrom("invitations").select("secret_hash").execute();
    for (const row of stored) expect(token).not.toContain(row.secret_hash);

    const preview = await anon.post("/invitations/preview", { token });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ email, role: "customer-member", account_name: "Bakery Ltd" });

    // Not a user until accepted: nobody can log in as the address, and no password was set by anyone else.
    expect((await anon.post("/auth/token", { email, password: PASSWORD })).status).toBe(401);
    const joined = await anon.post("/invitations/accept", { token, password: PASSWORD });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body).toMatchObject({
      email,
      name: "Mia",
      role: "customer-member",
      account_id: customer.accountId,
    });
    expect((await anon.post("/auth/token", { email, password: PASSWORD })).status).toBe(201);

    const after = await customer.api.get(`/invitations/${sent.body.id}`);
    expect(after.body).toMatchObject({ status: "accepted", user_id: joined.body.id });
    const again = await anon.post("/invitations/accept", { token, password: PASSWORD });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/already accepted/);
    const audit = await customer.api.get(`/audit-log?resource_id=${joined.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain("invitation.accept");
  });

  it("answers the same for an address taken in another account as for a free one, and mails the taken one no link", async () => {
    const free = address("free");
    const taken = await invite(customer.api, {
      email: stranger.email.toUpperCase(),
      role: "customer-member",
    });
    const fresh = await invite(customer.api, { email: free, role: "customer-member" });
    expect(shape(taken)).toEqual(shape(fresh));
    expect(JSON.stringify(taken.body)).not.toContain(stranger.accountId);

    const note = await sink.waitFor(stranger.email, (m) => m.subject.includes("invited you"));
    expect(tokenIn(note)).toBeUndefined();
    expect(note.text).toMatch(/already has an account/);
    expect(tokenIn(await sink.waitFor(free))).toBeDefined();
    // The inviter's view of both stays the same: pending, until the free one is accepted or both expire.
    const listed = await customer.api.get("/invitations?status=pending");
    const statuses = listed.body.items
      .filter((i: { id: string }) => i.id === taken.body.id || i.id === fresh.body.id)
      .map((i: { status: string }) => i.status);
    expect(statuses).toEqual(["pending", "pending"]);
    // And the stranger's account gained no user.
    const users = await provider.get(`/users?account_id=${customer.accountId}&limit=200`);
    expect(users.body.items.map((u: { email: string }) => u.email.toLowerCase())).not.toContain(
      stranger.email.toLowerCase(),
    );
  });

  it("lets only admins invite, only into their own subtree, and only with a role the account's kind has", async () => {
    // A reseller invites its customer's admin.
    const adminEmail = address("customer-admin");
    await invite(reseller.api, { email: adminEmail, role: "customer-admin", account_id: customer.accountId });
    const joined = await anon.post("/invitations/accept", {
      token: await linkFor(adminEmail),
      password: PASSWORD,
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    expect(joined.body.account_id).toBe(customer.accountId);

    const into = await reseller.api.post("/invitations", {
      email: address("x"),
      role: "customer-admin",
      account_id: stranger.accountId,
    });
    const nowhere = await reseller.api.post("/invitations", {
      email: address("x"),
      role: "customer-admin",
      account_id: "acc_0000000000000000000000000",
    });
    expect(into.status).toBe(404);
    expect(JSON.stringify(into.body).replaceAll(stranger.accountId, "ID")).toBe(
      JSON.stringify(nowhere.body).replaceAll("acc_0000000000000000000000000", "ID"),
    );
    const role = await customer.api.post("/invitations", { email: address("x"), role: "provider-admin" });
    expect(role.status).toBe(400);
    expect(role.body.error.details.field).toBe("role");

    const member = apiClient(
      c.url,
      (await anon.post("/auth/token", { email: joined.body.email, password: PASSWORD })).body.token,
    );
    await customer.api.patch(`/users/${joined.body.id}`, { role: "customer-member" });
    const byMember = await member.post("/invitations", { email: address("x"), role: "customer-member" });
    expect(byMember.status).toBe(403);

    // Another tenant's invitation answers 404, exactly as one that does not exist.
    const theirs = await invite(stranger.api, { email: address("theirs"), role: "customer-member" });
    for (const res of [
      [
        await customer.api.get(`/invitations/${theirs.body.id}`),
        await customer.api.get("/invitations/invite_0000000000000000000000000"),
      ],
      [
        await customer.api.del(`/invitations/${theirs.body.id}`),
        await customer.api.del("/invitations/invite_0000000000000000000000000"),
      ],
    ]) {
      expect(res[0]?.status).toBe(404);
      expect(res[0]?.body.error.code).toBe(res[1]?.body.error.code);
    }
  });

  it("makes only the newest invitation of an address work, and a revoked or expired one never", async () => {
    const email = address("twice");
    await invite(customer.api, { email, role: "customer-member" });
    const first = await linkFor(email);
    const second = await invite(customer.api, { email, role: "customer-admin" });
    const newest = tokenIn(
      await sink.waitFor(email, (m) => tokenIn(m) !== undefined && tokenIn(m) !== first),
    )!;
    const replaced = await anon.post("/invitations/accept", { token: first, password: PASSWORD });
    expect(replaced.status).toBe(400);
    expect(replaced.body.error.message).toMatch(/newer one replaced it/);

    const revoked = await customer.api.del(`/invitations/${second.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
    expect((await customer.api.del(`/invitations/${second.body.id}`)).status).toBe(409);
    const late = await anon.post("/invitations/accept", { token: newest, password: PASSWORD });
    expect(late.status).toBe(400);
    expect(late.body.error.details.field).toBe("token");

    const expiring = address("expiring");
    const old = await invite(customer.api, { email: expiring, role: "customer-member" });
    const token = await linkFor(expiring);
    await c.database.db
      .updateTable("invitations")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", old.body.id)
      .execute();
    const expired = await anon.post("/invitations/accept", { token, password: PASSWORD });
    expect(expired.status).toBe(400);
    expect(expired.body.error.message).toMatch(/expired/);
    expect((await customer.api.get(`/invitations/${old.body.id}`)).body.status).toBe("expired");
    const users = await c.database.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", expiring)
      .execute();
    expect(users).toEqual([]);
  });

  it("refuses forged and malformed tokens by naming the token, and creates one user from two acceptances at once", async () => {
    const email = address("race");
    const sent = await invite(customer.api, { email, role: "customer-member" });
    const token = await linkFor(email);
    const forged = `${sent.body.id}.${"A".repeat(43)}`;
    for (const bad of [forged, "nonsense", `${sent.body.id}`, "invite_x\u0000.y", "tok_abc.def"]) {
      const res = await anon.post("/invitations/accept", { token: bad, password: PASSWORD });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.details.field).toBe("token");
      expect((await anon.post("/invitations/preview", { token: bad })).status).toBe(400);
    }
    const both = await Promise.all([
      anon.post("/invitations/accept", { token, password: PASSWORD }),
      anon.post("/invitations/accept", { token, password: `${PASSWORD} 2` }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 400]);
    const users = await c.database.db.selectFrom("users").select("id").where("email", "=", email).execute();
    expect(users).toHaveLength(1);
  });

  it("tells the invitee, and only the invitee, when the address got an account after the invitation", async () => {
    const email = address("meanwhile");
    await invite(customer.api, { email, role: "customer-member" });
    const token = await linkFor(email);
    const direct = await provider.post("/users", {
      email,
      role: "customer-member",
      account_id: stranger.accountId,
    });
    expect(direct.status).toBe(201);
    const res = await anon.post("/invitations/accept", { token, password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/already has an account/);
    const users = await c.database.db
      .selectFrom("users")
      .select("account_id")
      .where("email", "=", email)
      .execute();
    expect(users).toEqual([{ account_id: stranger.accountId }]);
  });

  it("holds the mail limits: five invitations an hour to one address, fifty an hour from one account", async () => {
    const target = address("popular");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await stranger.api.post("/invitations", { email: target, role: "customer-member" })).status,
      );
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses[5]).toBe(429);

    const sender = await createTenant(c, provider, "customer");
    const sent: number[] = [];
    for (let i = 0; i < 51; i++)
      sent.push(
        (await sender.api.post("/invitations", { email: address("bulk"), role: "customer-member" })).status,
      );
    expect(sent.filter((s) => s === 202)).toHaveLength(50);
    expect(sent[50]).toBe(429);
  });

  it("lets a customer admin who tries POST /users be told to invite instead", async () => {
    const res = await customer.api.post("/users", { email: address("direct"), role: "customer-member" });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/POST \/invitations/);
  });
});
