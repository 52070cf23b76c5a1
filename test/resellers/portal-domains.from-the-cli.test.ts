import { startTestDnsServer } from "@layerboom/testkit";
import type { TestDnsServer } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { runCli } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/** A reseller's portal domain through the real CLI: claim, publish, verify, release. */
describe("portal domains through the CLI", () => {
  let c: TestController;
  let dns: TestDnsServer;
  let kite: Tenant;

  beforeAll(async () => {
    dns = await startTestDnsServer();
    c = await startTestController("pglite", {
      publicUrl: "https://panel.provider.test",
      // The test verifies again right after publishing the record; the throttle is tested elsewhere.
      portalDomains: { dnsServers: [dns.address], checkIntervalMs: 0 },
    });
    kite = await createTenant(c, apiClient(c.url, c.adminToken), "reseller");
  }, 60_000);

  afterAll(async () => {
    await c?.close();
    await dns?.close();
  });

  it("prints what to publish, verifies the TXT record, refuses the provider's host, and releases", async () => {
    const claimed = await runCli(c, kite.token, ["branding", "domain", "claim", "Panel.Kite.test."]);
    expect(claimed.code, claimed.output).toBe(0);
    expect(claimed.output).toMatch(/domain\s+panel\.kite\.test\nstatus\s+pending/);
    expect(claimed.output).toContain("a TXT record at _layerboom-challenge.panel.kite.test");
    const token = /holding (\S+)/.exec(claimed.output)?.[1] ?? "";
    const id = /domain verify (pdom_\w+)/.exec(claimed.output)?.[1] ?? "";
    expect(token).toHaveLength(43);

    const early = await runCli(c, kite.token, ["branding", "domain", "verify", id]);
    expect(early.code).not.toBe(0);
    expect(early.output).toMatch(/no TXT record at _layerboom-challenge\.panel\.kite\.test/);

    dns.set("_layerboom-challenge.panel.kite.test", { txt: [[token]] });
    const verified = await runCli(c, kite.token, ["branding", "domain", "verify", id]);
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toMatch(/status\s+verified/);
    expect((await kite.api.get("/branding")).body.portal_domain).toBe("panel.kite.test");

    const reserved = await runCli(c, kite.token, ["branding", "domain", "claim", "PANEL.provider.test"]);
    expect(reserved.code).not.toBe(0);
    expect(reserved.output).toMatch(/reserved/);

    const released = await runCli(c, kite.token, ["branding", "domain", "release", id]);
    expect(released.code, released.output).toBe(0);
    const list = await runCli(c, kite.token, ["branding", "domain", "list"]);
    expect(list.output.trim()).toBe("(none)");
  }, 120_000);
});
