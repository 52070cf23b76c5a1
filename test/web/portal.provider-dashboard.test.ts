import type { RunningAgent } from "@layerboom/agent";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT, launchBrowser, screenshot } from "../support/browser.js";
import { ADMIN_PASSWORD, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { hostFolders, startTestAgent, sweepHost } from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";

describe("the provider console, in a real browser, with a real agent joining", () => {
  let c: TestController;
  let browser: Browser | undefined;
  let provider: ApiClient;
  let folders: HostFolders | undefined;
  let agent: RunningAgent | undefined;

  beforeAll(async () => {
    c = await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 },
      webRoot: WEB_ROOT,
    });
    provider = apiClient(c.url, c.adminToken);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    if (folders) await sweepHost(folders);
    await c?.close();
  });

  it("adds a host, joins its agent with the command the page shows, and sees its power on the dashboard", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const origin = new URL(c.url).origin;
    const site = (await provider.get("/sites")).body.items[0];

    await page.goto(`${origin}/login`);
    await page.getByLabel("Email", { exact: true }).fill(c.adminEmail);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);

    // Hosts → add one: the page shows the join command once.
    await page.getByRole("navigation", { name: "Provider" }).getByRole("link", { name: "Hosts" }).click();
    await page.getByRole("heading", { name: "Hosts", exact: true }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("hv-new");
    await page.getByLabel("Site", { exact: true }).selectOption(site.id);
    await page.getByRole("button", { name: "Add host" }).click();
    const command = await page.getByLabel("Join command").innerText();
    await screenshot(page, "30-host-join-command");
    const match = /^layerboom agent --join (\S+) (\S+)$/.exec(command.trim());
    expect(match, command).not.toBeNull();
    expect(match?.[2]).toBe(origin);

    // The agent joins with exactly that token and meters the host every second.
    folders = await hostFolders();
    agent = await startTestAgent(c, folders, { joinToken: match?.[1], energy: { intervalMs: 1_000 } });
    const host = (await provider.get("/hosts")).body.items.find((h: any) => h.name === "hv-new");
    expect(host).toBeDefined();

    // The dashboard shows the new host's power now, and its site's.
    await page.getByRole("navigation", { name: "Provider" }).getByRole("link", { name: "Dashboard" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const hostPower = page.getByTestId(`host-power-${host.id}`);
    await expect
      .poll(async () => hostPower.innerText(), { timeout: 60_000, interval: 1_000 })
      .toMatch(/^[1-9][\d,.]* W$/);
    await expect
      .poll(async () => page.getByTestId(`site-power-${site.id}`).innerText(), { timeout: 30_000 })
      .toMatch(/^[1-9][\d,.]* (W|kW)$/);
    const shown = Number((await hostPower.innerText()).replace(/[^\d.]/g, ""));
    const api = (await provider.get("/dashboard")).body.hosts.find((h: any) => h.id === host.id);
    // The page shows what the API says (the agent may have reported once more in between).
    expect(Math.abs(shown - api.power_w)).toBeLessThan(Math.max(5, api.power_w * 0.2));
    await screenshot(page, "31-dashboard-host-power");

    // No host is listed as down once the agent is connected.
    await expect
      .poll(async () => (await provider.get("/dashboard")).body.hosts_down.length, { timeout: 30_000 })
      .toBe(0);
    await context.close();
  }, 180_000);
});
