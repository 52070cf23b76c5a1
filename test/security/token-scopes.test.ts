import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_PASSWORD, TEST_SSH_KEY, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { runCli } from "../support/hosts.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/**
 * A token holds scopes (docs/security.md, "API tokens and scopes"): each refuses, with a 403
 * that names the scope it would need, what it does not cover, and allows what it does.
 */
describeOnEachDatabase("API token scopes on %s", (kind) => {
  let c: TestController;
  let world: World;

  beforeAll(async () => {
    c = await startTestController(kind);
    if (c) world = await buildWorld(c);
  });
  afterAll(async () => c?.close());

  async function tokenWith(scopes: string[] | undefined, issuer?: ApiClient): Promise<ApiClient> {
    const made = await (issuer ?? world.customer1.api).post("/tokens", {
      name: `scoped ${JSON.stringify(scopes)}`,
      ...(scopes ? { scopes } : {}),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return apiClient(c?.url ?? "", made.body.token as string);
  }

  function expectRefused(res: { status: number; body: any }, scope: string) {
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(res.body.error.details.required_scope).toBe(scope);
    expect(res.body.error.message).toContain(`"${scope}"`);
  }

  it("lets a servers:read token read servers and nothing else", async () => {
    const monitor = await tokenWith(["servers:read"]);
    expect((await monitor.get("/servers")).status).toBe(200);
    expect((await monitor.get(`/servers/${world.a.serverId}`)).status).toBe(200);
    expect((await monitor.get(`/servers/${world.a.serverId}/backups`)).status).toBe(200);
    expect((await monitor.get("/me")).status).toBe(200);
    expectRefused(await monitor.del(`/servers/${world.a.serverId}`), "servers");
    expectRefused(await monitor.post(`/servers/${world.a.serverId}/stop`), "servers");
    expectRefused(await monitor.get("/invoices"), "billing:read");
    expectRefused(await monitor.get("/ssh-keys"), "ssh-keys:read");
    expectRefused(await monitor.get(`/servers/${world.a.serverId}/energy`), "energy:read");
    expectRefused(await monitor.get("/tokens"), "account:read");
    // The refused delete changed nothing.
    const still = await world.customer1.api.get(`/servers/${world.a.serverId}`);
    expect(still.body.desired_state).toBe("running");
  });

  it("lets a read-only token read every group and change none", async () => {
    const reader = await tokenWith(["read"]);
    for (const path of ["/servers", "/invoices", "/ssh-keys", "/images", "/tickets", "/webhooks", "/tokens"])
      expect((await reader.get(path)).status, path).toBe(200);
    expectRefused(await reader.post("/ssh-keys", { name: "k", public_key: TEST_SSH_KEY }), "ssh-keys");
    expectRefused(await reader.post("/tickets", { subject: "s", body: "b" }), "tickets");
    expectRefused(await reader.patch(`/users/${world.a.memberUserId}`, { name: "x" }), "account");
    // The console is a GET that types into the server: it needs the servers scope, not servers:read.
    expectRefused(await reader.get(`/servers/${world.a.serverId}/console`), "servers");
  });

  it("lets a servers + ssh-keys token create and delete a server, and not touch billing or images", async () => {
    const deployer = await tokenWith(["servers", "ssh-keys"]);
    expect((await deployer.get("/ssh-keys")).status).toBe(200);
    // Past the scope check: the key is the account's already.
    const again = await deployer.post("/ssh-keys", { name: "deploy", public_key: TEST_SSH_KEY });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    const server = await deployer.post("/servers", {
      name: "scoped",
      site_id: world.siteId,
      plan_id: world.planId,
      image_id: world.imageId,
      ssh_key_ids: [world.a.sshKeyId],
    });
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    expect((await deployer.del(`/servers/${server.body.id}`)).status).toBe(200);
    expectRefused(await deployer.get("/images"), "images:read");
    expectRefused(await deployer.post("/codes/redeem", { code: "NOPE" }), "billing");
  });

  it("never lets a token mint a token wider than itself", async () => {
    const tokenAdmin = await tokenWith(["account"]);
    expect((await tokenAdmin.post("/tokens", { name: "wider", scopes: ["full"] })).status).toBe(403);
    expect((await tokenAdmin.post("/tokens", { name: "other", scopes: ["servers"] })).status).toBe(403);
    expect((await tokenAdmin.post("/tokens", { name: "default" })).status).toBe(403);
    const narrower = await tokenAdmin.post("/tokens", { name: "narrower", scopes: ["account:read"] });
    expect(narrower.status, JSON.stringify(narrower.body)).toBe(201);
    expect(narrower.body.scopes).toEqual(["account:read"]);
    // A full token may hand out anything.
    await tokenWith(["billing", "read"]);
  });

  it("keeps full as the default and lists each token's scopes", async () => {
    const made = await world.customer1.api.post("/tokens", { name: "plain" });
    expect(made.body.scopes).toEqual(["full"]);
    const both = await world.customer1.api.post("/tokens", {
      name: "both",
      scopes: ["servers:read", "servers", "billing:read"],
    });
    expect(both.body.scopes).toEqual(["servers", "billing:read"]);
    const list = await world.customer1.api.get("/tokens?limit=200");
    const listed = (list.body.items as { id: string; scopes: string[] }[]).find((t) => t.id === both.body.id);
    expect(listed?.scopes).toEqual(["servers", "billing:read"]);
  });

  it("refuses an unknown scope with a 400 naming the field", async () => {
    for (const scopes of [["servers:write"], ["root"], [], "full"]) {
      const res = await world.customer1.api.post("/tokens", { name: "bad", scopes });
      expect(res.status, JSON.stringify(scopes)).toBe(400);
      expect(res.body.error.details.field).toMatch(/^scopes/);
    }
  });

  it("creates a scoped token from the CLI and refuses an unknown scope there", async () => {
    const made = await runCli(c, world.customer1.token, [
      "tokens",
      "create",
      "monitoring",
      "--scope",
      "servers:read,billing:read",
      "--output",
      "json",
    ]);
    expect(made.code, made.output).toBe(0);
    const created = JSON.parse(made.output) as { token: string; scopes: string[] };
    expect(created.scopes).toEqual(["servers:read", "billing:read"]);
    const monitor = apiClient(c.url, created.token);
    expect((await monitor.get("/invoices")).status).toBe(200);
    expectRefused(await monitor.post(`/servers/${world.a.serverId}/reboot`), "servers");
    const bad = await runCli(c, world.customer1.token, ["tokens", "create", "x", "--scope", "servers:write"]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain("Unknown scope servers:write");
  });

  it("names each operation's scope in the OpenAPI document", async () => {
    const doc = await world.provider.get("/openapi.json");
    const scopeOf = (path: string, method: string) => doc.body.paths[path][method].security[0].bearer;
    expect(scopeOf("/servers/{id}", "delete")).toEqual(["servers"]);
    expect(scopeOf("/invoices", "get")).toEqual(["billing:read"]);
    expect(scopeOf("/servers/{id}/energy", "get")).toEqual(["energy:read"]);
    expect(scopeOf("/me", "get")).toEqual([]);
  });

  it("leaves portal sessions unscoped", async () => {
    const login = await fetch(`${c.url}/auth/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: world.customer1.email, password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(201);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    for (const path of ["/servers", "/invoices", "/tokens", `/servers/${world.a.serverId}/energy`]) {
      const res = await fetch(`${c.url}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
    }
  });
});
