import { join } from "node:path";
import { QemuDriver } from "@layerboom/agent";
import { newId, vmIdForServer } from "@layerboom/core";
import { parseTinyReadyLine } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SSH_KEY } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  catalogTiny,
  eventually,
  openConsole,
  qemuProcessesUnder,
  runCli,
  waitForText,
  serverGone,
  serverReaches,
  vmFilesOf,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import { startTinyHost } from "../support/tiny-host.js";
import type { TinyHost } from "../support/tiny-host.js";

const READY = /LAYERBOOM-READY [^\r\n]*\r?\n/;
const ORPHAN_GRACE_MS = 15_000;

describe("a tiny server through the API, on a real host agent and real QEMU", () => {
  let c: TestController;
  let folders: HostFolders;
  let host: TinyHost | undefined;
  let provider: ApiClient;
  let customer: ApiClient;
  let customerToken: string;
  let hostId: string;
  let siteId: string;
  let imageId: string;
  let planId: string;

  beforeAll(async () => {
    // A grace period long enough that the stray VM of the orphan test is fully built
    // before the agent may destroy it, and short enough to watch it happen.
    host = await startTinyHost("hv1", { orphanGraceMs: ORPHAN_GRACE_MS });
    ({ c, folders, provider, customer, customerToken, hostId, siteId, planId, imageId } = host);
  }, 240_000);

  afterAll(async () => {
    await host?.stop();
  });

  it("joins: the host is up with its capacity and the accelerator it really uses", async () => {
    const host = await eventually("host up", async () => {
      const res = await provider.get(`/hosts/${hostId}`);
      return res.body.state === "up" ? res.body : undefined;
    });
    expect(host.accelerator).toBe("tcg");
    expect(host.cpu_cores).toBeGreaterThan(0);
    expect(host.memory_mib).toBeGreaterThan(0);
    expect(host.disk_gib).toBeGreaterThan(0);
    const list = await provider.get("/hosts");
    expect(list.body.items.map((h: any) => h.id)).toContain(hostId);
    // A customer cannot see hosts at all.
    expect((await customer.get(`/hosts/${hostId}`)).status).toBe(404);
    expect((await customer.get("/hosts")).status).toBe(403);
  });

  it("creates, consoles, stops, starts, reboots and deletes a real guest, leaving nothing behind", async () => {
    const key = await customer.post("/ssh-keys", { name: "laptop", public_key: TEST_SSH_KEY });
    const created = await customer.post("/servers", {
      name: "tiny-one",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
      ssh_key_ids: [key.body.id],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.host_id).toBe(hostId);
    const id = created.body.id as string;

    const running = await serverReaches(customer, id, "running");
    expect(running.addresses).toEqual([
      expect.objectContaining({ kind: "ssh-forward", address: "127.0.0.1" }),
    ]);

    // The readiness line, read through the API's console WebSocket, names the server: cloud-init's seed reached the guest.
    const console1 = await openConsole(c, customerToken, id);
    const ready = await console1.waitFor(READY, 60_000);
    expect(parseTinyReadyLine(ready[0])).toMatchObject({ hostname: "tiny-one", boots: "1" });
    // Typing into the console reaches the guest's shell.
    const mark = console1.text().length;
    console1.send("echo typed-$((6*7))\n");
    await console1.waitFor(/typed-42/, 20_000, mark);

    // The CLI's console is interactive: in a terminal, keys reach the guest and Ctrl-] leaves.
    const session = await runCli(c, customerToken, ["servers", "console", id], {
      tty: true,
      // Types only once the CLI says it is connected, and leaves once the guest has answered:
      // fixed pauses lost the keys when a loaded machine was slow to start the CLI.
      input: async (write, output) => {
        await waitForText(output, /Connected to/, 30_000);
        write("echo from-cli-$((5*5))\r");
        await waitForText(output, /from-cli-25/, 20_000).catch(() => undefined);
        write("\x1d");
      },
    });
    expect(session.output).toContain("Connected to");
    expect(session.output).toContain("from-cli-25");
    expect(session.code).toBe(0);
    // Another tenant's id, from the CLI: a clear 404, no stack trace.
    const ghost = await runCli(c, customerToken, ["servers", "console", "srv_00000000000000000000000000"]);
    expect(ghost.code).not.toBe(0);
    expect(ghost.output).toMatch(/Error: server srv_0+ was not found/);

    // Stop: a graceful ACPI power-off; the console stream ends with the VM.
    expect((await customer.post(`/servers/${id}/stop`)).body.desired_state).toBe("stopped");
    await serverReaches(customer, id, "stopped");
    await console1.closed;
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);

    // Start again: the same disk boots a second time.
    await customer.post(`/servers/${id}/start`);
    await serverReaches(customer, id, "running");
    const console2 = await openConsole(c, customerToken, id);
    expect(parseTinyReadyLine((await console2.waitFor(READY, 60_000))[0])).toMatchObject({ boots: "2" });

    // Reboot: a reset of the same QEMU; the guest comes up a third time on the same console.
    const before = console2.text().length;
    const rebooted = await customer.post(`/servers/${id}/reboot`);
    expect(rebooted.status).toBe(200);
    expect(parseTinyReadyLine((await console2.waitFor(READY, 60_000, before))[0])).toMatchObject({
      boots: "3",
    });
    await serverReaches(customer, id, "running");
    console2.close();

    // Delete: the row goes only once the agent confirms the disk is gone.
    expect((await customer.del(`/servers/${id}`)).status).toBe(200);
    await serverGone(customer, id);
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 300_000);

  it("reports a QEMU that no server owns and destroys it under the orphan rule", async () => {
    const { guest } = await catalogTiny(c);
    const stray = vmIdForServer(newId("server"));
    const outsider = new QemuDriver({
      runDir: folders.runDir,
      dataDir: join(folders.stateDir, "vms"),
      accel: "tcg",
    });
    await outsider.ensureRunning({
      serverId: stray,
      vcpus: 1,
      memoryMiB: 128,
      disk: { baseImage: guest.disk, baseFormat: guest.diskFormat },
      kernelBoot: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append },
    });
    await outsider.close();
    // First the host reports it, and leaves it alone for the grace period…
    const reported = await eventually("the orphan to be reported", async () => {
      const h = (await provider.get(`/hosts/${hostId}`)).body;
      return h.orphans.some((o: any) => o.vm_id === stray && o.action === "reported") ? h : undefined;
    });
    expect(reported.orphans).toEqual([expect.objectContaining({ vm_id: stray, action: "reported" })]);
    expect(await qemuProcessesUnder(folders.runDir)).toHaveLength(1);
    // …then destroys it.
    const host = await eventually("the orphan to be destroyed and reported", async () => {
      const h = (await provider.get(`/hosts/${hostId}`)).body;
      return h.orphans.some((o: any) => o.vm_id === stray && o.action === "destroyed") ? h : undefined;
    });
    expect(host.orphans).toEqual([expect.objectContaining({ vm_id: stray, action: "destroyed" })]);
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 120_000);

  it("refuses what no host can fit with a 409 that names what is short", async () => {
    const huge = await provider.post("/plans", {
      name: "huge",
      vcpus: 1,
      memory_mib: 10_000_000,
      disk_gib: 1,
      transfer_gib: 0,
      hourly_price_minor: 1,
      monthly_cap_minor: 1,
      currency: "CAD",
    });
    const res = await customer.post("/servers", {
      name: "too-big",
      site_id: siteId,
      plan_id: huge.body.id,
      image_id: imageId,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("insufficient_capacity");
    expect(res.body.error.details.short).toEqual(["memory"]);
    expect(res.body.error.message).toMatch(/memory/);
  });

  it("answers 404 for another tenant's console, exactly as for a server that does not exist", async () => {
    const other = await createTenant(c, provider, "customer");
    const mine = await customer.post("/servers", {
      name: "private",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
    });
    expect(mine.status).toBe(201);
    await expect(openConsole(c, other.token, mine.body.id)).rejects.toThrow(/HTTP 404/);
    await expect(openConsole(c, other.token, "srv_00000000000000000000000000")).rejects.toThrow(/HTTP 404/);
    await customer.del(`/servers/${mine.body.id}`);
    await serverGone(customer, mine.body.id, 90_000);
  }, 120_000);
});
