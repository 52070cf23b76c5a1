import type { RunningAgent } from "@layerboom/agent";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  WEB_ROOT,
  collectPageProblems,
  describedError,
  launchBrowser,
  screenshot,
} from "../support/browser.js";
import { ADMIN_PASSWORD, TEST_SSH_KEY, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  catalogTiny,
  hostFolders,
  qemuProcessesUnder,
  serverGone,
  startTestAgent,
  sweepHost,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/** The text xterm.js shows, without the row breaks its wrapping adds. */
async function consoleText(page: Page): Promise<string> {
  return page.locator(".xterm-rows").evaluate((rows) => (rows.textContent ?? "").replace(/\s+/g, " "));
}

async function waitForConsole(page: Page, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pattern.test(await consoleText(page))) return;
    if (Date.now() > deadline) {
      throw new Error(`${pattern} never showed on the console; it shows:\n${await consoleText(page)}`);
    }
    await page.waitForTimeout(250);
  }
}

describe("the web portal, in a real browser, against a real agent and real QEMU", () => {
  let c: TestController;
  let folders: HostFolders;
  let agent: RunningAgent | undefined;
  let browser: Browser | undefined;
  let provider: ApiClient;
  let customer: Tenant;
  let siteId: string;
  let planId: string;
  let imageId: string;

  beforeAll(async () => {
    c = await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 },
      webRoot: WEB_ROOT,
    });
    provider = apiClient(c.url, c.adminToken);
    siteId = (await provider.get("/sites")).body.items[0].id;
    planId = (await provider.get("/plans")).body.items.find((p: any) => p.name === "nano").id;
    imageId = (await catalogTiny(c)).imageId;
    folders = await hostFolders();
    const added = await addHost(provider, siteId, "hv1");
    agent = await startTestAgent(c, folders, { joinToken: added.joinToken });
    customer = await createTenant(c, provider, "customer");
    const key = await customer.api.post("/ssh-keys", { name: "laptop", public_key: TEST_SSH_KEY });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    if (folders) await sweepHost(folders);
    await c?.close();
  });

  it("serves the portal at / with a fallback to index.html, and keeps the API's 404s", async () => {
    const origin = new URL(c.url).origin;
    const page = await fetch(`${origin}/servers/srv_anything`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    const api = await fetch(`${origin}/api/v1/nowhere`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.code).toBe("route_not_found");
    expect((await fetch(`${origin}/assets/missing.js`)).status).toBe(404);
  });

  it("logs in, creates a tiny server, watches its console, reboots and deletes it", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const shot = (name: string) => screenshot(page, name);
    const problems = collectPageProblems(page);
    const origin = new URL(c.url).origin;

    // Log in: a wrong password shows the API's message beside the field; the right one opens the list.
    await page.goto(`${origin}/`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel("Email").fill(customer.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    expect(await describedError(page, "Password")).toMatch(/email or password/i);
    await shot("01-login-error");
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole("heading", { name: "No servers yet" }).waitFor();
    await shot("02-servers-empty");

    // Create: the API's complaint about the name sits beside the name field.
    await page.getByRole("link", { name: "New server" }).first().click();
    await page.waitForURL(/\/servers\/new$/);
    await page.getByLabel("Name", { exact: true }).fill("Web_1");
    await page.getByLabel("Site").selectOption(siteId);
    await page.getByLabel("Plan").selectOption(planId);
    await page.getByLabel("Image").selectOption(imageId);
    await page.getByRole("checkbox", { name: /laptop/ }).check();
    await page.getByRole("button", { name: "Create server" }).click();
    expect(await describedError(page, "Name")).toMatch(/A server name is a hostname/);
    await shot("03-create-name-error");
    await page.getByLabel("Name", { exact: true }).fill("portal-one");
    await page.getByRole("button", { name: "Create server" }).click();
    await page.waitForURL(/\/servers\/srv_[0-9A-Za-z]+$/);
    const id = page.url().split("/").pop()!;
    await page.getByRole("heading", { name: "portal-one" }).waitFor();

    // The server page: live status, the SSH command, and the guest booting on the console.
    await page.locator(".badge", { hasText: "running" }).waitFor({ timeout: 120_000 });
    await page.getByText("Connected", { exact: true }).waitFor({ timeout: 30_000 });
    await waitForConsole(page, /LAYERBOOM-READY[^]*boots=1/, 120_000);
    const ssh = await page.getByLabel("SSH command").innerText();
    expect(ssh).toMatch(/^ssh -p \d+ root@127\.0\.0\.1$/);
    await shot("04-server-console");

    // Keys typed into the terminal reach the guest's shell.
    await page.getByRole("group", { name: "Console" }).click();
    await page.keyboard.type("echo typed-$((6*7))\n");
    await waitForConsole(page, /typed-42/, 20_000);

    // Reboot: the guest comes up again on the same console, and the status returns to running.
    await page.getByRole("button", { name: "Reboot" }).click();
    await waitForConsole(page, /LAYERBOOM-READY[^]*boots=2/, 120_000);
    await page.locator(".badge", { hasText: "running" }).waitFor({ timeout: 60_000 });
    await shot("05-server-rebooted");

    // Stop: the console says it lost the guest; start: it reconnects by itself and shows the next boot.
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByText(/Disconnected: .*Reconnecting in/).waitFor({ timeout: 60_000 });
    await page.locator(".badge", { hasText: "stopped" }).waitFor({ timeout: 60_000 });
    await shot("06-server-stopped");
    await page.getByRole("button", { name: "Start" }).click();
    await waitForConsole(page, /LAYERBOOM-READY[^]*boots=3/, 120_000);
    await page.getByText("Connected", { exact: true }).waitFor();
    await page.locator(".badge", { hasText: "running" }).waitFor({ timeout: 60_000 });

    // Delete, through the confirmation dialog; the list loses the server once its disk is gone.
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete portal-one?" });
    await dialog.waitFor();
    await shot("07-delete-dialog");
    await dialog.getByRole("button", { name: "Delete server" }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole("heading", { name: "No servers yet" }).waitFor({ timeout: 90_000 });
    await shot("08-servers-after-delete");
    await serverGone(customer.api, id);
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);

    // A narrow screen still shows everything, without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("link", { name: "New server" }).first().click();
    await page.getByLabel("Plan").waitFor();
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await shot("09-create-narrow");
    // Nothing the pages did (console, charts, wizard) was refused by the CSP or threw.
    expect(problems()).toEqual([]);
    await context.close();
  }, 420_000);
});
