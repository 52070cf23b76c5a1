import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_PASSWORD, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, ApiResponse, TestController } from "../support/controller.js";
import { describeOnEachDatabase } from "../support/databases.js";
import { createEc2Credentials, signedEc2Post } from "../support/ec2.js";
import type { Ec2Credentials } from "../support/ec2.js";
import { addIdleHost, runCli } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/** What an EC2 error answer says: its code and message. */
function ec2ErrorOf(body: string): { code: string | undefined; message: string | undefined } {
  return {
    code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1],
    message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1],
  };
}

function expectError(res: ApiResponse, status: number, code: string, message?: RegExp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
}

/**
 * Data residency (docs/placement.md): an account's required jurisdictions hold at every
 * placement, through the REST and EC2 APIs, and only the right people change them.
 */
describeOnEachDatabase("data residency on %s: placement enforces an account's jurisdictions", (kind) => {
  let c: TestController;
  let provider: ApiClient;
  const site: Record<"montreal" | "toronto" | "virginia" | "unlabelled", string> = {
    montreal: "",
    toronto: "",
    virginia: "",
    unlabelled: "",
  };
  let planId: string;
  let imageId: string;
  /** Required CA from its creation. */
  let canadian: Tenant;
  /** No requirement. */
  let free: Tenant;
  let canadianKeys: Ec2Credentials;
  let serverBody: (name: string, siteId: string) => Record<string, string>;

  beforeAll(async () => {
    c = await startTestController(kind);
    provider = apiClient(c.url, c.adminToken);
    const labels = { montreal: "CA-QC", toronto: "CA-ON", virginia: "US-VA", unlabelled: undefined };
    for (const [name, jurisdiction] of Object.entries(labels)) {
      const created = await provider.post("/sites", {
        name,
        country_code: name === "virginia" ? "US" : "CA",
        time_zone: "America/Toronto",
        ...(jurisdiction ? { jurisdiction } : {}),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      site[name as keyof typeof site] = created.body.id;
      await addIdleHost(c, created.body.id, `idle-${name}`);
    }
    planId = (await provider.get("/plans")).body.items[0].id;
    const image = await provider.post("/images", {
      name: "tiny",
      visibility: "public",
      format: "kernel+initrd",
    });
    expect(image.status).toBe(201);
    imageId = image.body.id;
    serverBody = (name, siteId) => ({ name, site_id: siteId, plan_id: planId, image_id: imageId });
    const account = await provider.post("/accounts", {
      kind: "customer",
      name: "Maple Data",
      required_jurisdictions: ["CA"],
    });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    expect(account.body.required_jurisdictions).toEqual(["CA"]);
    const user = await provider.post("/users", {
      email: "admin@maple.test",
      role: "customer-admin",
      password: ADMIN_PASSWORD,
      account_id: account.body.id,
    });
    expect(user.status).toBe(201);
    const login = await apiClient(c.url).post("/auth/token", {
      email: "admin@maple.test",
      password: ADMIN_PASSWORD,
    });
    canadian = {
      accountId: account.body.id,
      userId: user.body.id,
      email: "admin@maple.test",
      token: login.body.token,
      api: apiClient(c.url, login.body.token),
    };
    free = await createTenant(c, provider, "customer");
    canadianKeys = await createEc2Credentials(canadian.api);
  }, 120_000);

  afterAll(async () => {
    await c?.close();
  });

  it("a CA-only account creates at a CA-QC site, and is refused at a US or unlabelled site with 422 naming the rule", async () => {
    const made = await canadian.api.post("/servers", serverBody("web1", site.montreal));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.site_id).toBe(site.montreal);

    const us = await canadian.api.post("/servers", serverBody("web2", site.virginia));
    expectError(
      us,
      422,
      "outside_residency",
      /jurisdiction US-VA\) is outside the account's required jurisdictions \(CA\)/,
    );
    expect(us.body.error.details).toEqual({
      rule: "required_jurisdictions",
      required_jurisdictions: ["CA"],
      site_id: site.virginia,
      site_jurisdiction: "US-VA",
    });
    const unlabelled = await canadian.api.post("/servers", serverBody("web3", site.unlabelled));
    expectError(unlabelled, 422, "outside_residency", /\(no jurisdiction\)/);

    // The same refusal when the provider creates for the account.
    const forThem = await provider.post("/servers", {
      ...serverBody("web4", site.virginia),
      account_id: canadian.accountId,
    });
    expectError(forThem, 422, "outside_residency");
    const names = (await canadian.api.get("/servers")).body.items.map((s: any) => s.name);
    expect(names).toEqual(["web1"]);
  });

  it("the catalogue lists only the sites the account may use; others see every site", async () => {
    const mine = (await canadian.api.get("/sites")).body.items.map((s: any) => s.name).sort();
    expect(mine).toEqual(["local", "montreal", "toronto"]);
    const theirs = (await free.api.get("/sites")).body.items.map((s: any) => s.name).sort();
    expect(theirs).toEqual(["local", "montreal", "toronto", "unlabelled", "virginia"]);
    // A jurisdiction filter takes subdivisions in, and refuses what is not a code.
    const inCanada = (await free.api.get("/sites?jurisdiction=CA")).body.items.map((s: any) => s.name).sort();
    expect(inCanada).toEqual(["local", "montreal", "toronto"]);
    expectError(await free.api.get("/sites?jurisdiction=ca"), 400, "invalid_input", /"ca" is not upper case/);
    expectError(await free.api.get("/sites?jurisdiction=CA%25"), 400, "invalid_input");
  });

  it("another account's requirement does not leak and does not bind it", async () => {
    expectError(await free.api.get(`/accounts/${canadian.accountId}`), 404, "not_found");
    expectError(
      await free.api.patch(`/accounts/${canadian.accountId}`, { required_jurisdictions: [] }),
      404,
      "not_found",
    );
    expect((await free.api.get(`/accounts/${free.accountId}`)).body.required_jurisdictions).toEqual([]);
    const made = await free.api.post("/servers", serverBody("web1", site.virginia));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await canadian.api.get(`/accounts/${canadian.accountId}`)).body.required_jurisdictions).toEqual([
      "CA",
    ]);
  });

  it("the account's own admin may tighten but not loosen; an admin above it may do either; a member neither", async () => {
    const own = (codes: string[]) =>
      canadian.api.patch(`/accounts/${canadian.accountId}`, { required_jurisdictions: codes });
    const tightened = await own(["CA-QC"]);
    expect(tightened.status, JSON.stringify(tightened.body)).toBe(200);
    expect(tightened.body.required_jurisdictions).toEqual(["CA-QC"]);
    expectError(await own(["CA"]), 403, "forbidden", /tighten your own account's required jurisdictions/);
    expectError(await own([]), 403, "forbidden");
    expectError(await own(["CA-QC", "FR"]), 403, "forbidden");
    expectError(
      await canadian.api.post("/servers", serverBody("web5", site.toronto)),
      422,
      "outside_residency",
    );

    const member = await provider.post("/users", {
      email: "member@maple.test",
      role: "customer-member",
      password: ADMIN_PASSWORD,
      account_id: canadian.accountId,
    });
    expect(member.status).toBe(201);
    const memberToken = (
      await apiClient(c.url).post("/auth/token", { email: "member@maple.test", password: ADMIN_PASSWORD })
    ).body.token;
    expectError(
      await apiClient(c.url, memberToken).patch(`/accounts/${canadian.accountId}`, {
        required_jurisdictions: ["CA-QC"],
      }),
      403,
      "forbidden",
    );

    const loosened = await provider.patch(`/accounts/${canadian.accountId}`, {
      required_jurisdictions: ["CA"],
    });
    expect(loosened.status, JSON.stringify(loosened.body)).toBe(200);
    expect(loosened.body.required_jurisdictions).toEqual(["CA"]);
    const audit = await c.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "account.update")
      .where("resource_id", "=", canadian.accountId)
      .execute();
    expect(audit.map((a) => a.details)).toContainEqual(
      expect.objectContaining({ required_jurisdictions: ["CA"], previous_required_jurisdictions: ["CA-QC"] }),
    );
  });

  it("a requirement its servers already break is refused, listing them", async () => {
    const refused = await provider.patch(`/accounts/${free.accountId}`, { required_jurisdictions: ["CA"] });
    expectError(refused, 409, "conflict", /run at sites outside CA/);
    expect(refused.body.error.details).toMatchObject({
      reason: "servers_outside_residency",
      servers: [{ name: "web1", site_id: site.virginia, site_jurisdiction: "US-VA" }],
    });
    expect((await free.api.get(`/accounts/${free.accountId}`)).body.required_jurisdictions).toEqual([]);
    // US servers are fine under a US requirement.
    const us = await provider.patch(`/accounts/${free.accountId}`, { required_jurisdictions: ["US"] });
    expect(us.status, JSON.stringify(us.body)).toBe(200);
    expect((await provider.patch(`/accounts/${free.accountId}`, { required_jurisdictions: [] })).status).toBe(
      200,
    );
  });

  it("a tightening racing creates never leaves a server outside the requirement", async () => {
    const racer = await createTenant(c, provider, "customer");
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) =>
        racer.api.post("/servers", serverBody(`race${i}`, site.virginia)),
      ),
      provider.patch(`/accounts/${racer.accountId}`, { required_jurisdictions: ["CA"] }),
      ...Array.from({ length: 4 }, (_, i) =>
        racer.api.post("/servers", serverBody(`late${i}`, site.virginia)),
      ),
    ]);
    const tighten = results[4]!;
    const servers = (await racer.api.get("/servers")).body.items;
    const required = (await racer.api.get(`/accounts/${racer.accountId}`)).body.required_jurisdictions;
    if (tighten.status === 200) {
      expect(required).toEqual(["CA"]);
      expect(servers).toEqual([]);
    } else {
      expectError(tighten, 409, "conflict");
      expect(required).toEqual([]);
      expect(tighten.body.error.details.servers.length).toBeGreaterThan(0);
    }
    for (const r of results.filter((_, i) => i !== 4)) expect([201, 422]).toContain(r.status);
  });

  it("energy-aware placement only considers sites within the requirement", async () => {
    const optIn = await provider.patch(`/sites/${site.virginia}/energy-settings`, {
      energy_aware_placement: true,
    });
    expect(optIn.status, JSON.stringify(optIn.body)).toBe(200);
    const body = { name: "auto1", plan_id: planId, image_id: imageId };
    expectError(
      await canadian.api.post("/servers", body),
      400,
      "invalid_input",
      /no site that offers energy-aware placement lies within the account's required jurisdictions \(CA\)/,
    );
    const placedFree = await free.api.post("/servers", body);
    expect(placedFree.status, JSON.stringify(placedFree.body)).toBe(201);
    expect(placedFree.body.site_id).toBe(site.virginia);
    await provider.patch(`/sites/${site.toronto}/energy-settings`, { energy_aware_placement: true });
    const placed = await canadian.api.post("/servers", body);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.site_id).toBe(site.toronto);
  });

  it("the EC2 API lists only usable zones and refuses RunInstances elsewhere with InvalidParameterValue", async () => {
    const zones = await signedEc2Post(c, canadianKeys, { Action: "DescribeAvailabilityZones" });
    expect(zones.status, zones.body).toBe(200);
    const zoneNames = [...zones.body.matchAll(/<zoneName>([^<]*)<\/zoneName>/g)].map((m) => m[1]).sort();
    expect(zoneNames).toEqual(["local", "montreal", "toronto"]);

    const images = await signedEc2Post(c, canadianKeys, { Action: "DescribeImages" });
    const ami = /<imageId>(ami-[0-9a-f]+)<\/imageId>/.exec(images.body)![1]!;
    const run = (zone: string) =>
      signedEc2Post(c, canadianKeys, {
        Action: "RunInstances",
        ImageId: ami,
        InstanceType: "nano",
        MinCount: "1",
        MaxCount: "1",
        "Placement.AvailabilityZone": zone,
      });
    // By zone name and, as a forged request would, by the site's own id.
    for (const zone of ["virginia", site.virginia, "unlabelled"]) {
      const refused = await run(zone);
      expect(refused.status, refused.body).toBe(400);
      expect(ec2ErrorOf(refused.body)).toEqual({
        code: "InvalidParameterValue",
        message: expect.stringMatching(/outside the account(&apos;|')s required jurisdictions \(CA\)/),
      });
    }
    const ok = await run("montreal");
    expect(ok.status, ok.body).toBe(200);
    const servers = (await canadian.api.get("/servers")).body.items;
    expect(servers.every((s: any) => [site.montreal, site.toronto].includes(s.site_id))).toBe(true);
  });

  it("the CLI shows and sets the requirement, and the account's admin only tightens it", async () => {
    const created = await runCli(c, c.adminToken, [
      "accounts",
      "create",
      "Cli Customer",
      "--kind",
      "customer",
      "--require-jurisdiction",
      "CA-QC,CA-ON",
      "--output",
      "json",
    ]);
    expect(created.code, created.output).toBe(0);
    const account = JSON.parse(created.output);
    expect(account.required_jurisdictions).toEqual(["CA-QC", "CA-ON"]);
    const shown = await runCli(c, c.adminToken, ["accounts", "show", account.id]);
    expect(shown.output).toMatch(/jurisdictions[\s\S]*CA-QC,CA-ON/);
    const cleared = await runCli(c, c.adminToken, [
      "accounts",
      "update",
      account.id,
      "--no-jurisdiction-requirement",
    ]);
    expect(cleared.code, cleared.output).toBe(0);
    const loosen = await runCli(c, canadian.token, [
      "accounts",
      "update",
      canadian.accountId,
      "--require-jurisdiction",
      "US",
    ]);
    expect(loosen.code).not.toBe(0);
    expect(loosen.output).toMatch(/tighten your own account's required jurisdictions/);
    const bad = await runCli(c, c.adminToken, [
      "accounts",
      "update",
      account.id,
      "--require-jurisdiction",
      "qc",
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/"qc" is not upper case/);
  });

  it("refuses hostile codes with a 400 that names what is wrong", async () => {
    const set = (body: unknown) => provider.patch(`/accounts/${free.accountId}`, body);
    expectError(
      await set({ required_jurisdictions: ["ca"] }),
      400,
      "invalid_input",
      /"ca" is not upper case.*"CA"/,
    );
    const named = await set({ required_jurisdictions: ["CA", "XX"] });
    expectError(named, 400, "invalid_input", /"XX" does not start with an ISO 3166-1 alpha-2 country code/);
    expect(named.body.error.details.field).toBe("required_jurisdictions[1]");
    expectError(await set({ required_jurisdictions: ["EU"] }), 400, "invalid_input", /"EU"/);
    expectError(await set({ required_jurisdictions: ["CA-QC-X"] }), 400, "invalid_input");
    expectError(await set({ required_jurisdictions: ["CA-"] }), 400, "invalid_input", /ISO 3166-2/);
    expectError(await set({ required_jurisdictions: ["CA%"] }), 400, "invalid_input");
    expectError(await set({ required_jurisdictions: ["CANADA"] }), 400, "invalid_input");
    expectError(await set({ required_jurisdictions: [""] }), 400, "invalid_input", /not empty/);
    expectError(await set({ required_jurisdictions: ["C".repeat(40)] }), 400, "invalid_input", /longer than/);
    expectError(
      await set({ required_jurisdictions: ["C".repeat(100_000)] }),
      400,
      "invalid_request",
      /required_jurisdictions\.0.*more than 64 characters/,
    );
    expectError(
      await set({ required_jurisdictions: Array.from({ length: 1000 }, () => "CA") }),
      400,
      "invalid_request",
      /required_jurisdictions.*more than 20 items/,
    );
    expectError(await set({ required_jurisdictions: [123] }), 400, "invalid_request");
    expectError(await set({ required_jurisdictions: "CA" }), 400, "invalid_request");
    expectError(await set({ required_jurisdictions: null }), 400, "invalid_request");
    const reseller = await createTenant(c, provider, "reseller");
    expectError(
      await provider.patch(`/accounts/${reseller.accountId}`, { required_jurisdictions: ["CA"] }),
      400,
      "invalid_input",
      /only customer accounts hold servers/,
    );
    expectError(
      await provider.post("/sites", {
        name: "bad",
        country_code: "CA",
        time_zone: "UTC",
        jurisdiction: "ca-qc",
      }),
      400,
      "invalid_input",
      /"ca-qc" is not upper case/,
    );
    expect((await free.api.get(`/accounts/${free.accountId}`)).body.required_jurisdictions).toEqual([]);
  });
});
