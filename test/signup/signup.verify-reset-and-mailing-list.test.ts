import { request as httpRequest } from "node:http";
import { createSmtpMailer } from "@layerboom/controller";
import type { Mailer } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { runCli } from "../support/hosts.js";
import { linkToken, startSmtpSink } from "../support/smtp-sink.js";
import type { SmtpSink, SunkMail } from "../support/smtp-sink.js";
import { createTenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

const PUBLIC_URL = "https://panel.example.test";
const PASSWORD = "a long enough signup password";

/** The token of the first `<PUBLIC_URL>/<page>?token=` link in a mail. */
function tokenIn(mail: SunkMail, page: string): string {
  const token = linkToken(mail, PUBLIC_URL, page);
  expect(token, mail.text).toBeDefined();
  return token ?? "";
}

describeOnEachDatabase("signup, verification, reset and mailing list on %s", (kind) => {
  let c: TestController;
  let sink: SmtpSink;
  let mailer: Mailer;
  let anon: ApiClient;
  let provider: ApiClient;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = createSmtpMailer({ smtpUrl: sink.url, from: "Layerboom <noreply@panel.example.test>" });
    c = await startTestController(kind, { mailer, publicUrl: PUBLIC_URL });
    anon = apiClient(c.url);
    provider = apiClient(c.url, c.adminToken);
  });
  afterAll(async () => {
    await c?.close();
    mailer?.close();
    await sink?.close();
  });

  async function signUpAndVerify(email: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await anon.post("/signup", {
      email,
      password: PASSWORD,
      account_name: `${email} Ltd`,
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const mail = await sink.waitFor(email, (m) => m.subject.startsWith("Confirm your email address"));
    const verified = await anon.post("/signup/verify", { token: tokenIn(mail, "verify-email") });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const login = await anon.post("/auth/token", { email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(201);
    return login.body.token as string;
  }

  it("signs up, refuses login until the mailed link is opened, then logs in once verified", async () => {
    const email = "alice@customer.test";
    const res = await anon.post("/signup", {
      email,
      password: PASSWORD,
      name: "Alice",
      account_name: "Alice's Bakery",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);

    const mail = await sink.waitFor(email);
    expect(mail.subject).toMatch(/^Confirm your email address for \S/);
    expect(mail.from).toBe("noreply@panel.example.test");
    const token = tokenIn(mail, "verify-email");
    const stored = await c.database.db.selectFrom("user_tokens").select("secret_hash").execute();
    for (const row of stored) expect(token).not.toContain(row.secret_hash);

    const early = await anon.post("/auth/token", { email, password: PASSWORD });
    expect(early.status).toBe(401);
    expect(early.body.error.message).toMatch(/Confirm your email address first/);

    const verified = await anon.post("/signup/verify", { token });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);

    const login = await anon.post("/auth/token", { email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(201);
    const me = await apiClient(c.url, login.body.token).get("/me");
    expect(me.body).toMatchObject({ email, name: "Alice", role: "customer-admin" });
    const account = await provider.get(`/accounts/${me.body.account_id}`);
    expect(account.body).toMatchObject({ kind: "customer", name: "Alice's Bakery" });

    const again = await anon.post("/signup/verify", { token });
    expect(again.status).toBe(400);
    expect(again.body.error.details.field).toBe("token");
    expect(again.body.error.message).toMatch(/already used/);
  });

  it("answers a duplicate signup exactly like a new one, and mails the owner instead", async () => {
    const before = sink.to(c.adminEmail).length;
    const fresh = await anon.post("/signup", {
      email: "bob@customer.test",
      password: PASSWORD,
      account_name: "Bob",
    });
    const duplicate = await anon.post("/signup", {
      email: c.adminEmail.toUpperCase(),
      password: PASSWORD,
      account_name: "Someone else",
    });
    expect(duplicate.status).toBe(fresh.status);
    expect(duplicate.body).toEqual(fresh.body);
    const notice = await sink.waitFor(c.adminEmail, (m) => m.subject.startsWith("Someone tried"));
    expect(notice.text).toMatch(/already has an account/);
    expect(notice.text).not.toMatch(/token=/);
    expect(sink.to(c.adminEmail).length).toBe(before + 1);
    const accounts = await c.database.db
      .selectFrom("accounts")
      .select("id")
      .where("name", "=", "Someone else")
      .execute();
    expect(accounts).toEqual([]);
  });

  it("signs up from the CLI with the password on stdin", async () => {
    const email = "cli@customer.test";
    const cli = await runCli(
      c,
      "",
      ["signup", "--email", email, "--account-name", "From the CLI", "--mailing-list", "--password-stdin"],
      { input: async (write) => write(`${PASSWORD}\n`) },
    );
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toMatch(/Check your mail/);
    const mail = await sink.waitFor(email);
    expect((await anon.post("/signup/verify", { token: tokenIn(mail, "verify-email") })).status).toBe(200);
  });

  it("names the field of bad input, and keeps the password rules", async () => {
    const short = await anon.post("/signup", {
      email: "c@customer.test",
      password: "short",
      account_name: "C",
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details.field).toBe("password");
    const noAccount = await anon.post("/signup", { email: "c@customer.test", password: PASSWORD });
    expect(noAccount.status).toBe(400);
    expect(noAccount.body.error.details.field).toBe("account_name");
    const badReseller = await anon.post("/signup", {
      email: "c@customer.test",
      password: PASSWORD,
      account_name: "C",
      reseller: "no-such-reseller",
    });
    expect(badReseller.status).toBe(400);
    expect(badReseller.body.error.details.field).toBe("reseller");
  });

  it("resets a password through the mailed token, once, and logs out the old credentials", async () => {
    const email = "dora@customer.test";
    const oldToken = await signUpAndVerify(email);

    const unknown = await anon.post("/password-reset", { email: "nobody@customer.test" });
    const known = await anon.post("/password-reset", { email });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(sink.to("nobody@customer.test")).toEqual([]);

    const mail = await sink.waitFor(email, (m) => /^Reset your .* password$/.test(m.subject));
    const token = tokenIn(mail, "reset-password");
    const weak = await anon.post("/password-reset/confirm", { token, password: "short" });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details.field).toBe("password");

    const newPassword = "another long enough password";
    const done = await anon.post("/password-reset/confirm", { token, password: newPassword });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await apiClient(c.url, oldToken).get("/me")).status).toBe(401);
    expect((await anon.post("/auth/token", { email, password: PASSWORD })).status).toBe(401);
    expect((await anon.post("/auth/token", { email, password: newPassword })).status).toBe(201);

    const reused = await anon.post("/password-reset/confirm", {
      token,
      password: "yet another long password",
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error.details.field).toBe("token");
    expect(reused.body.error.message).toMatch(/already used/);
  });

  it("refuses expired, forged and wrong-purpose tokens with a clear message", async () => {
    const email = "erin@customer.test";
    await anon.post("/signup", { email, password: PASSWORD, account_name: "Erin" });
    const mail = await sink.waitFor(email);
    const token = tokenIn(mail, "verify-email");

    const asReset = await anon.post("/password-reset/confirm", { token, password: PASSWORD });
    expect(asReset.status).toBe(400);
    expect(asReset.body.error.message).toMatch(/not valid/);

    const [id] = token.split(".");
    const forged = await anon.post("/signup/verify", { token: `${id}.${"A".repeat(43)}` });
    expect(forged.status).toBe(400);
    expect(forged.body.error.message).toMatch(/not valid/);
    expect((await anon.post("/signup/verify", { token: "garbage" })).status).toBe(400);

    await c.database.db
      .updateTable("user_tokens")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", id ?? "")
      .execute();
    const expired = await anon.post("/signup/verify", { token });
    expect(expired.status).toBe(400);
    expect(expired.body.error.details.field).toBe("token");
    expect(expired.body.error.message).toMatch(/expired/);

    // Signing up again with the unverified address mails a fresh link instead of "someone tried".
    const again = await anon.post("/signup", { email, password: PASSWORD, account_name: "Erin" });
    expect(again.status).toBe(202);
    await expect.poll(() => sink.to(email).length).toBe(2);
    const fresh = sink.to(email)[1];
    expect(fresh?.subject).toMatch(/^Confirm your email address/);
    const ok = await anon.post("/signup/verify", { token: tokenIn(fresh as SunkMail, "verify-email") });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("mails a reseller's customers under the reseller's brand, with links to its portal domain", async () => {
    const reseller = await createTenant(c, provider, "reseller", undefined, {
      name: "Kite Hosting",
      slug: "kite",
      email: "admin@kite.test",
    });
    const kite = reseller.api;
    const brand = await kite.put("/branding", { name: "Kite Cloud", support_email: "help@kite.test" });
    expect(brand.status, JSON.stringify(brand.body)).toBe(200);
    // The provider assigns the portal domain (a reseller would prove it: docs/security.md, "Portal domains").
    const domain = await provider.post("/branding/domains", {
      domain: "panel.kite.test",
      account_id: reseller.accountId,
    });
    expect(domain.status, JSON.stringify(domain.body)).toBe(201);
    const providerName = (await provider.get(`/accounts/${(await provider.get("/me")).body.account_id}`)).body
      .name;

    const email = "gina@kite-customer.test";
    expect(
      (await anon.post("/signup", { email, password: PASSWORD, account_name: "Gina", reseller: "kite" }))
        .status,
    ).toBe(202);
    const welcome = await sink.waitFor(email);
    expect(welcome.subject).toBe("Confirm your email address for Kite Cloud");
    expect(welcome.from).toBe("help@kite.test");
    expect(welcome.text).toContain("Welcome to Kite Cloud.");
    expect(welcome.text).toMatch(/https:\/\/panel\.kite\.test\/verify-email\?token=\S+/);
    expect(welcome.text).not.toContain(providerName);
    expect(welcome.text).not.toContain(PUBLIC_URL);

    expect((await anon.post("/password-reset", { email })).status).toBe(202);
    const reset = await sink.waitFor(email, (m) => m.subject.startsWith("Reset"));
    expect(reset.subject).toBe("Reset your Kite Cloud password");
    expect(reset.from).toBe("help@kite.test");
    expect(reset.text).toMatch(/https:\/\/panel\.kite\.test\/reset-password\?token=\S+/);
    expect(reset.text).not.toContain(providerName);

    // A signup that arrives on the reseller's portal domain, without a slug, lands under the reseller.
    // (node:http, because fetch does not let a caller set Host.)
    const viaDomain = await new Promise<{ status: number }>((resolve, reject) => {
      const body = JSON.stringify({
        email: "hal@kite-customer.test",
        password: PASSWORD,
        account_name: "Hal",
      });
      const req = httpRequest(
        `${c?.url}/signup`,
        { method: "POST", headers: { "content-type": "application/json", host: "panel.kite.test" } },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(viaDomain.status).toBe(202);
    expect((await sink.waitFor("hal@kite-customer.test")).subject).toBe(
      "Confirm your email address for Kite Cloud",
    );
    const hal = await c.database.db
      .selectFrom("accounts")
      .select("parent_id")
      .where("name", "=", "Hal")
      .executeTakeFirstOrThrow();
    expect(hal.parent_id).toBe(reseller.accountId);

    // The logged-out portal asks which brand to wear: by slug, by domain, else the provider's.
    expect((await anon.get("/branding/public?reseller=kite")).body).toMatchObject({ name: "Kite Cloud" });
    expect((await anon.get("/branding/public?domain=panel.kite.test")).body).toMatchObject({
      name: "Kite Cloud",
    });
    expect((await anon.get("/branding/public?domain=elsewhere.test")).body).toMatchObject({
      name: providerName,
    });
    const unknown = await anon.get("/branding/public?reseller=nobody");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/nobody/);
  });

  it("exports opted-in, verified users only, and a reseller admin sees only its subtree", async () => {
    const reseller = await createTenant(c, provider, "reseller", undefined, {
      name: "Resell",
      slug: "resell",
      email: "admin@resell.test",
    });
    const resellerApi = reseller.api;

    const underReseller = await signUpAndVerify("frank@resold.test", {
      reseller: "resell",
      mailing_list: true,
      name: '=HYPERLINK("x")',
    });
    await signUpAndVerify("gina@direct.test", { mailing_list: true, name: "Gina, G." });
    const quietToken = await signUpAndVerify("hank@direct.test");
    await anon.post("/signup", {
      email: "ivy@unverified.test",
      password: PASSWORD,
      account_name: "Ivy",
      mailing_list: true,
    });

    const frank = apiClient(c.url, underReseller);
    const me = await frank.get("/me");
    const account = await provider.get(`/accounts/${me.body.account_id}`);
    expect(account.body.parent_id).toBe(reseller.accountId);

    const quiet = apiClient(c.url, quietToken);
    expect((await quiet.get("/me/mailing-list")).body).toEqual({ opt_in: false, changed_at: null });
    const joined = await quiet.patch("/me/mailing-list", { opt_in: true });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body.opt_in).toBe(true);
    expect((await quiet.patch("/me/mailing-list", { opt_in: false })).body.opt_in).toBe(false);
    expect((await quiet.patch("/me/mailing-list", { opt_in: "yes" })).body.error.details.field).toBe(
      "opt_in",
    );

    const all = await provider.get("/mailing-list/export");
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (all.body as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe("email,name,account,opted_in_at");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([
      "cli@customer.test",
      "frank@resold.test",
      "gina@direct.test",
    ]);
    expect(all.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(all.body).toContain(`"Gina, G."`);
    expect(lines[1]).toMatch(/,\d{4}-\d\d-\d\dT[\d:.]+Z$/);

    const subtree = await resellerApi.get("/mailing-list/export");
    expect(subtree.status).toBe(200);
    const subtreeEmails = (subtree.body as string)
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((l) => l.split(",")[0]);
    expect(subtreeEmails).toEqual(["frank@resold.test"]);

    const cli = await runCli(c, reseller.token, ["mailing-list", "export"]);
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toBe(subtree.body);

    const asCustomer = await frank.get("/mailing-list/export");
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.error.message).toMatch(/provider and reseller admins/);
  });
});
