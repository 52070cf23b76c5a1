import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, compileControllerOptions } from "@layerboom/controller";
import { newId } from "@layerboom/core";
import { loadMigrations, migrate } from "@layerboom/db";
import { hostileDomainClaims, scratchDatabase, startTestDnsServer } from "@layerboom/testkit";
import type { TestDnsServer } from "@layerboom/testkit";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

const PUBLIC_HOST = "panel.provider.test";
const RESERVED = "provider-brand.test";
const PROVIDER_BRAND = "Provider Cloud";
const KITE_BRAND = "Kite Cloud";
const PASSWORD = "a long enough portal password";

/** A request with the Host header a browser on that domain would send (fetch cannot set Host). */
function onHost(
  url: string,
  host: string,
  method: "GET" | "POST" = "GET",
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: { host, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** An HTTP server on one loopback address that serves the given files and counts every request. */
async function fileServer(
  address: string,
  port: number,
): Promise<{ server: Server; port: number; files: Map<string, string>; requests: string[] }> {
  const files = new Map<string, string>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.headers.host ?? ""}${req.url ?? ""}`);
    const body = files.get(req.url ?? "");
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "text/plain" }).end(body ?? "no");
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, address, resolve));
  return { server, port: (server.address() as AddressInfo).port, files, requests };
}

describeOnEachDatabase("portal domain claims need proof on %s", (kind) => {
  let c: TestController;
  let dns: TestDnsServer;
  let canary: Awaited<ReturnType<typeof fileServer>>;
  let challenges: Awaited<ReturnType<typeof fileServer>>;
  let webRoot: string;
  let provider: ApiClient;
  let providerId: string;
  let kite: Tenant;
  let rival: Tenant;
  let anonymous: ApiClient;
  let origin: string;

  beforeAll(async () => {
    dns = await startTestDnsServer();
    // The canary answers every token, so only the guard keeps a proof from reaching it. The
    // challenge server, on another loopback address the provider allowlisted, stands for a
    // reseller's public web server.
    canary = await fileServer("127.0.0.1", 0);
    challenges = await fileServer("127.0.0.2", canary.port);
    webRoot = await mkdtemp(join(tmpdir(), "layerboom-portal-"));
    await writeFile(join(webRoot, "index.html"), "<!doctype html><title>Portal</title><p>login</p>");
    // The reserved list as the provider writes it: LAYERBOOM_RESERVED_DOMAINS, upper case and absolute.
    const config = compileControllerOptions({}, { LAYERBOOM_RESERVED_DOMAINS: `${RESERVED.toUpperCase()}.` });
    c = await startTestController(kind, {
      publicUrl: `https://${PUBLIC_HOST}`,
      webRoot,
      portalDomains: {
        reserved: config.reservedDomains,
        dnsServers: [dns.address],
        httpPort: canary.port,
        // These tests check proofs in quick succession; the throttle has its own test below.
        checkIntervalMs: 0,
      },
      outbound: { allowlist: [`127.0.0.2:${canary.port}`], dnsServers: [dns.address] },
    });
    origin = new URL(c.url).origin;
    provider = apiClient(c.url, c.adminToken);
    anonymous = apiClient(c.url);
    providerId = (await provider.get("/me")).body.account_id;
    expect((await provider.put("/branding", { name: PROVIDER_BRAND })).status).toBe(200);
    kite = await createTenant(c, provider, "reseller", undefined, { name: "Kite Hosting", slug: "kite" });
    rival = await createTenant(c, provider, "reseller", undefined, { name: "Rival Hosting", slug: "rival" });
    expect((await kite.api.put("/branding", { name: KITE_BRAND })).status).toBe(200);
    expect((await rival.api.put("/branding", { name: "Rival Cloud" })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await c?.close();
    await dns?.close();
    canary?.server.close();
    challenges?.server.close();
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
  });

  /** What a logged-out visitor on `host` sees: the page title, and the brand the portal asks for. */
  async function brandOn(host: string): Promise<{ title: string; brand: string }> {
    const page = await onHost(`${origin}/login`, host);
    const title = /<title>([^<]*)<\/title>/.exec(page.text)?.[1] ?? "";
    const brand = await anonymous.get(`/branding/public?domain=${encodeURIComponent(host)}`);
    return { title, brand: brand.body.name };
  }

  /** Signs up on `host` and returns the new account's parent. */
  async function signUpOn(host: string, who: string): Promise<string | null> {
    const res = await onHost(`${c.url}/signup`, host, "POST", {
      email: `${who}@customers.test`,
      password: PASSWORD,
      account_name: who,
    });
    expect(res.status, res.text).toBe(202);
    const account = await c.database.db
      .selectFrom("accounts")
      .select("parent_id")
      .where("name", "=", who)
      .executeTakeFirstOrThrow();
    return account.parent_id;
  }

  const claimCount = async () =>
    Number(
      (
        await c.database.db
          .selectFrom("portal_domain_claims")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("refuses the provider's names and hostile domain strings, naming the reason, and stores nothing", async () => {
    const cases = hostileDomainClaims(PUBLIC_HOST, RESERVED);
    expect(cases.length).toBeGreaterThan(30);
    for (const hostile of cases) {
      const res = await kite.api.post("/branding/domains", { domain: hostile.domain });
      const label = `${JSON.stringify(hostile.domain)}: ${hostile.why}`;
      expect(res.status, `${label} ${JSON.stringify(res.body)}`).toBe(hostile.status);
      expect(res.body.error.details.reason, label).toBe(hostile.reason);
      expect(res.body.error.code, label).not.toBe("internal");
    }
    expect(await claimCount()).toBe(0);
    // The provider's own page is untouched by all of it.
    expect(await brandOn(PUBLIC_HOST)).toEqual({ title: PROVIDER_BRAND, brand: PROVIDER_BRAND });
  });

  it("lets an unverified claim do nothing: the login page and signups on it stay the provider's", async () => {
    const claim = await kite.api.post("/branding/domains", { domain: "Portal.Kite.TEST." });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    expect(claim.body).toMatchObject({
      domain: "portal.kite.test",
      status: "pending",
      method: null,
      challenge: { dns_name: "_layerboom-challenge.portal.kite.test" },
    });
    expect(claim.body.challenge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claim.body.challenge.http_url).toBe(
      `http://portal.kite.test/.well-known/layerboom-challenge/${claim.body.challenge.token}`,
    );
    // Claiming again returns the same claim and token.
    const again = await kite.api.post("/branding/domains", { domain: "portal.kite.test" });
    expect(again.status).toBe(200);
    expect(again.body.challenge.token).toBe(claim.body.challenge.token);
    // Twice at once: one claim, and neither request fails.
    const twice = await Promise.all(
      [1, 2].map(() => kite.api.post("/branding/domains", { domain: "twice.kite.test" })),
    );
    expect(twice.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(twice[0]?.body.id).toBe(twice[1]?.body.id);
    expect((await kite.api.del(`/branding/domains/${twice[0]?.body.id}`)).status).toBe(204);

    expect(await brandOn("portal.kite.test")).toEqual({ title: PROVIDER_BRAND, brand: PROVIDER_BRAND });
    expect((await anonymous.get("/branding/by-domain?domain=portal.kite.test")).status).toBe(404);
    expect(await signUpOn("portal.kite.test", "early-bird")).toBe(providerId);
    expect((await kite.api.get("/branding")).body.portal_domain).toBeNull();
  });

  it("verifies with the TXT record holding the claim's token, and not with a wrong or missing one", async () => {
    const claim = (await kite.api.get("/branding/domains")).body.items.find(
      (i: { domain: string }) => i.domain === "portal.kite.test",
    );
    const token: string = claim.challenge.token;
    const verify = () => kite.api.post(`/branding/domains/${claim.id}/verify`, { method: "dns" });

    const missing = await verify();
    expect(missing.status, JSON.stringify(missing.body)).toBe(422);
    expect(missing.body.error).toMatchObject({
      code: "domain_not_proven",
      details: { reason: "dns_no_record" },
    });

    // The rival's token, or one that merely contains ours, proves nothing.
    dns.set("_layerboom-challenge.portal.kite.test", { txt: [["someone-elses-token"], [`${token}x`]] });
    const wrong = await verify();
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details.reason).toBe("dns_wrong_token");
    const recorded = (await kite.api.get(`/branding/domains/${claim.id}`)).body;
    expect(recorded).toMatchObject({ status: "pending", check_error: expect.stringMatching(/token/) });
    expect(await brandOn("portal.kite.test")).toEqual({ title: PROVIDER_BRAND, brand: PROVIDER_BRAND });

    // The rival starts a claim on the same name while it is unproven: allowed, but it will lose.
    const rivalClaim = await rival.api.post("/branding/domains", { domain: "portal.kite.test" });
    expect(rivalClaim.status).toBe(201);
    expect(rivalClaim.body.challenge.token).not.toBe(token);

    dns.set("_layerboom-challenge.portal.kite.test", {
      txt: [["v=spf1 -all"], [token.slice(0, 20), token.slice(20)], [rivalClaim.body.challenge.token]],
    });
    const ok = await verify();
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: "verified", method: "dns", challenge: null, check_error: null });

    expect(await brandOn("portal.kite.test.")).toEqual({ title: KITE_BRAND, brand: KITE_BRAND });
    expect(await brandOn("PORTAL.KITE.TEST")).toEqual({ title: KITE_BRAND, brand: KITE_BRAND });
    expect(await signUpOn("portal.kite.test", "kite-customer")).toBe(kite.accountId);
    expect((await kite.api.get("/branding")).body.portal_domain).toBe("portal.kite.test");
    // The provider's own host is still the provider's.
    expect(await brandOn(PUBLIC_HOST)).toEqual({ title: PROVIDER_BRAND, brand: PROVIDER_BRAND });

    // First to verify wins: the rival's own valid record no longer helps, nor does a new claim.
    const late = await rival.api.post(`/branding/domains/${rivalClaim.body.id}/verify`, {});
    expect(late.status, JSON.stringify(late.body)).toBe(409);
    expect(late.body.error.details.reason).toBe("taken");
    const second = await rival.api.post("/branding/domains", { domain: "PORTAL.kite.test" });
    expect(second.status).toBe(409);
    expect(second.body.error.details.reason).toBe("taken");
    const owners = await c.database.db
      .selectFrom("portal_domain_claims")
      .select("account_id")
      .where("domain", "=", "portal.kite.test")
      .where("status", "=", "verified")
      .execute();
    expect(owners).toEqual([{ account_id: kite.accountId }]);
  });

  it("makes the HTTP proof through the outbound guard: loopback refused unasked, an allowed server verifies", async () => {
    const loop = await rival.api.post("/branding/domains", { domain: "loop.rival.test" });
    const good = await rival.api.post("/branding/domains", { domain: "www.rival.test" });
    expect([loop.status, good.status]).toEqual([201, 201]);
    dns.set("loop.rival.test", { a: [["127.0.0.1"]] });
    dns.set("www.rival.test", { a: [["127.0.0.2"]] });
    const path = (claim: { challenge: { token: string } }) =>
      `/.well-known/layerboom-challenge/${claim.challenge.token}`;
    // The canary would prove anything asked of it; the guard must never let the request out.
    canary.files.set(path(loop.body), loop.body.challenge.token);
    const refused = await rival.api.post(`/branding/domains/${loop.body.id}/verify`, { method: "http" });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.details.reason).toBe("http_failed");
    expect(refused.body.error.message).toMatch(/not public/);
    expect(canary.requests).toEqual([]);

    challenges.files.set(path(good.body), "not the token");
    const wrong = await rival.api.post(`/branding/domains/${good.body.id}/verify`, { method: "http" });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details.reason).toBe("http_wrong_body");
    challenges.files.set(path(good.body), `${good.body.challenge.token}\n`);
    const ok = await rival.api.post(`/branding/domains/${good.body.id}/verify`, { method: "http" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: "verified", method: "http" });
    expect(challenges.requests).toEqual([
      `www.rival.test:${canary.port}${path(good.body)}`,
      `www.rival.test:${canary.port}${path(good.body)}`,
    ]);
    expect(await brandOn("www.rival.test")).toEqual({ title: "Rival Cloud", brand: "Rival Cloud" });
    expect(canary.requests).toEqual([]);
  });

  it("lets the provider assign names under its own domains, and release a domain for another reseller", async () => {
    // A reseller may not take a name under the provider's domain; the provider may give it one.
    const self = await rival.api.post("/branding/domains", { domain: `rival.${RESERVED}` });
    expect(self.status).toBe(409);
    expect(self.body.error.details.reason).toBe("reserved_subdomain");
    const assigned = await provider.post("/branding/domains", {
      domain: `rival.${RESERVED}`,
      account_id: rival.accountId,
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    expect(assigned.body).toMatchObject({
      status: "verified",
      method: "assigned",
      account_id: rival.accountId,
    });
    expect(await brandOn(`rival.${RESERVED}`)).toEqual({ title: "Rival Cloud", brand: "Rival Cloud" });
    // One portal domain per brand: the assignment replaced the one it proved over HTTP.
    expect(await brandOn("www.rival.test")).toEqual({ title: PROVIDER_BRAND, brand: PROVIDER_BRAND });
    // Not even the provider gives away its own host.
    const own = await provider.post("/branding/domains", {
      domain: PUBLIC_HOST,
      account_id: rival.accountId,
    });
    expect(own.status).toBe(409);
    expect(own.body.error.details.reason).toBe("reserved");
    // Nor can it hand out a verified domain without releasing it first.
    const grab = await provider.post("/branding/domains", {
      domain: "portal.kite.test",
      account_id: rival.accountId,
    });
    expect(grab.status).toBe(409);
    expect(grab.body.error.details.reason).toBe("taken");

    // Claims are the owner's and the provider's business; to everyone else they do not exist.
    const kiteClaim = (await kite.api.get("/branding/domains")).body.items.find(
      (i: { domain: string; status: string }) => i.domain === "portal.kite.test",
    );
    const ghost = "pdom_00000000000000000000000000";
    for (const [method, path] of [
      ["GET", `/branding/domains/${kiteClaim.id}`],
      ["DELETE", `/branding/domains/${kiteClaim.id}`],
      ["POST", `/branding/domains/${kiteClaim.id}/verify`],
    ] as const) {
      const theirs = await rival.api.call(method, path, method === "POST" ? {} : undefined);
      const none = await rival.api.call(
        method,
        path.replace(kiteClaim.id, ghost),
        method === "POST" ? {} : undefined,
      );
      expect(theirs.status, `${method} ${path}`).toBe(404);
      expect(theirs.body.error.message.replace(kiteClaim.id, "ID")).toBe(
        none.body.error.message.replace(ghost, "ID"),
      );
    }
    expect(
      (await rival.api.get("/branding/domains")).body.items.map((i: { account_id: string }) => i.account_id),
    ).not.toContain(kite.accountId);

    expect((await provider.del(`/branding/domains/${kiteClaim.id}`)).status).toBe(204);
    expect(await brandOn("portal.kite.test")).toEqual({ title: PROVIDER_BRAND, brand: PROVIDER_BRAND });
    // Released, the rival's pending claim (its record still published) can now win.
    const rivalClaim = (await rival.api.get("/branding/domains")).body.items.find(
      (i: { domain: string }) => i.domain === "portal.kite.test",
    );
    const won = await rival.api.post(`/branding/domains/${rivalClaim.id}/verify`, { method: "dns" });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(await brandOn("portal.kite.test")).toEqual({ title: "Rival Cloud", brand: "Rival Cloud" });
    const audit = await provider.get("/audit-log?resource_type=portal_domain&limit=200");
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        "portal_domain.claim",
        "portal_domain.verify",
        "portal_domain.assign",
        "portal_domain.release",
      ]),
    );
  });

  /** Another controller on the same database, as a restart with other settings would be. */
  const secondController = (portalDomains: Parameters<typeof buildApp>[0]["portalDomains"]) =>
    buildApp({
      database: c.database,
      blobDir: c.blobDir,
      logger: false,
      webRoot: false,
      publicUrl: `https://${PUBLIC_HOST}`,
      imageJobs: { runner: false },
      webhooks: { dispatcher: false },
      backupSchedule: false,
      portalDomains,
    });

  it("checks one claim's proof at most once in a few seconds (each check is a query made for a tenant)", async () => {
    const claim = await kite.api.post("/branding/domains", { domain: "slow.kite.test" });
    expect(claim.status).toBe(201);
    const throttled = await secondController({ reserved: [RESERVED], dnsServers: [dns.address] });
    try {
      await throttled.ready();
      const verify = () =>
        throttled.inject({
          method: "POST",
          url: `/api/v1/branding/domains/${claim.body.id}/verify`,
          headers: { authorization: `Bearer ${kite.token}` },
          payload: { method: "dns" },
        });
      const asked = dns.questions.length;
      expect((await verify()).statusCode).toBe(422);
      const again = await verify();
      expect(again.statusCode, again.body).toBe(429);
      expect(again.headers["retry-after"]).toMatch(/^[1-5]$/);
      expect(again.json().error.message).toMatch(/slow\.kite\.test was checked moments ago/);
      // The second check never reached DNS.
      expect(dns.questions.slice(asked)).toEqual(["TXT _layerboom-challenge.slow.kite.test"]);
    } finally {
      await throttled.close();
    }
  });

  it("releases at start-up a reseller's domain that the provider has reserved since", async () => {
    // The rival holds portal.kite.test (verified above); the provider now reserves kite.test.
    expect((await brandOn("portal.kite.test")).brand).toBe("Rival Cloud");
    // A name the provider assigned under its own reserved domain is not affected.
    const assigned = await provider.post("/branding/domains", {
      domain: `kite.${RESERVED}`,
      account_id: kite.accountId,
    });
    expect(assigned.status).toBe(201);
    const restarted = await secondController({
      reserved: [RESERVED, "kite.test"],
      dnsServers: [dns.address],
    });
    try {
      await restarted.ready();
    } finally {
      await restarted.close();
    }
    expect(await brandOn("portal.kite.test")).toEqual({ title: PROVIDER_BRAND, brand: PROVIDER_BRAND });
    const left = await c.database.db
      .selectFrom("portal_domain_claims")
      .select("domain")
      .where("domain", "like", "%kite.test")
      .execute();
    expect(left).toEqual([]);
    expect(await brandOn(`kite.${RESERVED}`)).toEqual({ title: KITE_BRAND, brand: KITE_BRAND });
    const audit = await provider.get("/audit-log?action=portal_domain.release&limit=200");
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        actor_user_id: null,
        details: expect.objectContaining({ domain: "portal.kite.test" }),
      }),
    );
  });
});

describeOnEachDatabase("migration 0014 on %s", (kind) => {
  it("turns the portal domains brands had into pending claims, which prove nothing yet", async () => {
    const scratch = await scratchDatabase(kind);
    const database = await scratch.open();
    try {
      const all = await loadMigrations();
      const claims = all.findIndex((m) => m.name === "portal_domain_claims");
      expect(claims).toBeGreaterThan(0);
      await migrate(database, all.slice(0, claims));
      const accountId = newId("account");
      await database.db
        .insertInto("accounts")
        .values({
          id: accountId,
          kind: "provider",
          parent_id: null,
          path: `/${accountId}/`,
          name: "Old",
          slug: "old",
        })
        .execute();
      // Before 0014 a brand's domain was whatever its owner typed, the provider's own included.
      await sql`INSERT INTO brands (account_id, name, portal_domain) VALUES (${accountId}, 'Old', ${PUBLIC_HOST})`.execute(
        database.db,
      );
      await migrate(database, all);
      const rows = await database.db.selectFrom("portal_domain_claims").selectAll().execute();
      expect(rows).toEqual([
        expect.objectContaining({
          account_id: accountId,
          domain: PUBLIC_HOST,
          status: "pending",
          method: null,
          verified_at: null,
        }),
      ]);
      expect(rows[0]?.token).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]?.id).toMatch(/^pdom_[0-9a-z]{26}$/);
    } finally {
      await database.close();
      await scratch.drop();
    }
  });
});
