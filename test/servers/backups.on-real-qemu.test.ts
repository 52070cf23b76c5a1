import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { newId, vmIdForServer } from "@layerboom/core";
import { parseTinyReadyLine } from "@layerboom/testkit";
import { QemuDriver, createBackupTarget, imageInfo } from "@layerboom/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  eventually,
  openConsole,
  qemuProcessesUnder,
  runCli,
  serverGone,
  serverReaches,
  startTestAgent,
  vmFilesOf,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import { startTinyHost } from "../support/tiny-host.js";
import type { TinyHost } from "../support/tiny-host.js";

const READY = /LAYERBOOM-READY [^\r\n]*\r?\n/;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe("server backups on a real host agent and real QEMU", () => {
  let c: TestController;
  let folders: HostFolders;
  let host: TinyHost | undefined;
  let provider: ApiClient;
  let customer: ApiClient;
  let customerToken: string;
  let outsider: ApiClient;
  let siteId: string;
  let imageId: string;
  let planId: string;

  beforeAll(async () => {
    host = await startTinyHost("hv-backups");
    ({ c, folders, provider, customer, customerToken, siteId, planId, imageId } = host);
    outsider = (await createTenant(c, provider, "customer")).api;
  }, 240_000);

  afterAll(async () => {
    await host?.stop();
  });

  /** Waits until the agent has acted on generation `generation` and the server runs. */
  async function runningAfter(id: string, generation: number): Promise<void> {
    await eventually(
      `server ${id} to run at generation ${generation}`,
      async () => {
        const s = (await customer.get(`/servers/${id}`)).body;
        return s.observed_generation >= generation && s.observed_state === "running" ? s : undefined;
      },
      120_000,
    );
  }

  async function backupReaches(id: string, backupId: string, state: string): Promise<any> {
    return eventually(
      `backup ${backupId} to be ${state}`,
      async () => {
        const list = await customer.get(`/servers/${id}/backups`);
        return list.body.items.find((b: any) => b.id === backupId && b.state === state);
      },
      120_000,
    );
  }

  it("backs up a running guest, restores it so the guest boots from the backup, and cleans up", async () => {
    const created = await customer.post("/servers", {
      name: "backed-up",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect(created.body.backups_enabled).toBe(false);
    await serverReaches(customer, id, "running");
    const console1 = await openConsole(c, customerToken, id);
    expect(parseTinyReadyLine((await console1.waitFor(READY, 60_000))[0])).toMatchObject({ boots: "1" });

    // The add-on: on, and shown on the server.
    const enabled = await customer.put(`/servers/${id}/backups-enabled`, { enabled: true });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body.backups_enabled).toBe(true);

    // A backup of the running guest (its disk holds boot-count 1), taken live over QMP.
    const taken = await customer.post(`/servers/${id}/backups`);
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(taken.body).toMatchObject({ server_id: id, state: "pending", kind: "manual" });
    const backupId = taken.body.id as string;
    const backup = await backupReaches(id, backupId, "available");
    expect(backup.size_bytes).toBeGreaterThan(0);
    expect(backup.completed_at).not.toBeNull();
    const file = join(folders.stateDir, "backups", vmIdForServer(id), `${backupId}.qcow2`);
    expect(await exists(file)).toBe(true);
    expect((await stat(file)).size).toBe(backup.size_bytes);
    // The guest kept running through the backup: same QEMU, no reboot.
    expect((await customer.get(`/servers/${id}`)).body.observed_state).toBe("running");

    // Reboot: the disk's counter moves on to 2.
    const mark = console1.text().length;
    expect((await customer.post(`/servers/${id}/reboot`)).status).toBe(200);
    expect(parseTinyReadyLine((await console1.waitFor(READY, 60_000, mark))[0])).toMatchObject({
      boots: "2",
    });
    console1.close();

    // Restore: the disk goes back to the backup (counter 1), so the next boot says 2 again.
    const restored = await customer.post(`/servers/${id}/restore`, { backup_id: backupId });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    await runningAfter(id, restored.body.generation as number);
    const console2 = await openConsole(c, customerToken, id);
    expect(parseTinyReadyLine((await console2.waitFor(READY, 60_000))[0])).toMatchObject({ boots: "2" });
    console2.close();

    // Another tenant: every backup route is a 404, as for a server that does not exist.
    const ghost = newId("server");
    for (const [method, path, body] of [
      ["GET", `/servers/{id}/backups`, undefined],
      ["POST", `/servers/{id}/backups`, undefined],
      ["POST", `/servers/{id}/restore`, { backup_id: backupId }],
      ["DELETE", `/servers/{id}/backups/${backupId}`, undefined],
      ["PUT", `/servers/{id}/backups-enabled`, { enabled: false }],
    ] as const) {
      const theirs = await outsider.call(method, path.replace("{id}", id), body);
      const none = await outsider.call(method, path.replace("{id}", ghost), body);
      expect(theirs.status, `${method} ${path}`).toBe(404);
      expect(theirs.body.error.message.replace(id, "ID")).toBe(none.body.error.message.replace(ghost, "ID"));
    }
    expect(await exists(file)).toBe(true);

    // Delete the backup: the file goes, then the row.
    const deleted = await customer.del(`/servers/${id}/backups/${backupId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.state).toBe("deleting");
    await eventually("the backup row to go", async () => {
      const list = await customer.get(`/servers/${id}/backups`);
      return list.body.items.some((b: any) => b.id === backupId) ? undefined : true;
    });
    expect(await exists(file)).toBe(false);

    // A second backup, then delete the server: no QEMU, disk or backup file is left.
    const second = await customer.post(`/servers/${id}/backups`);
    expect(second.status).toBe(201);
    await backupReaches(id, second.body.id, "available");
    const secondFile = join(folders.stateDir, "backups", vmIdForServer(id), `${second.body.id}.qcow2`);
    expect(await exists(secondFile)).toBe(true);
    expect((await customer.del(`/servers/${id}`)).status).toBe(200);
    await serverGone(customer, id);
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);
    expect(await vmFilesOf(folders)).toEqual([]);
    expect(await exists(join(folders.stateDir, "backups", vmIdForServer(id)))).toBe(false);
  }, 420_000);

  it("backs up a stopped server with qemu-img and restores it while it stays stopped, from the CLI", async () => {
    const created = await customer.post("/servers", {
      name: "stopped-one",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
    });
    const id = created.body.id as string;
    await serverReaches(customer, id, "running");
    const console1 = await openConsole(c, customerToken, id);
    await console1.waitFor(READY, 60_000);
    console1.close();
    await customer.post(`/servers/${id}/stop`);
    await serverReaches(customer, id, "stopped");
    const on = await runCli(c, customerToken, ["servers", "update", id, "--backups", "on"]);
    expect(on.code, on.output).toBe(0);
    expect((await customer.get(`/servers/${id}`)).body.backups_enabled).toBe(true);
    const create = await runCli(c, customerToken, ["-o", "json", "servers", "backups", "create", id]);
    expect(create.code, create.output).toBe(0);
    const taken = JSON.parse(create.output) as { id: string; state: string };
    expect(taken.state).toBe("pending");
    const backup = await backupReaches(id, taken.id, "available");
    expect(backup.size_bytes).toBeGreaterThan(0);
    const listed = await runCli(c, customerToken, ["servers", "backups", "list", id]);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toMatch(new RegExp(`${taken.id}\\s+manual\\s+available`));
    const restore = await runCli(c, customerToken, [
      "-o",
      "json",
      "servers",
      "backups",
      "restore",
      id,
      taken.id,
    ]);
    expect(restore.code, restore.output).toBe(0);
    const restored = { body: JSON.parse(restore.output) as { generation: number } };
    await eventually("the restore to be applied", async () => {
      const s = (await customer.get(`/servers/${id}`)).body;
      return s.observed_generation >= restored.body.generation && s.observed_state === "stopped"
        ? s
        : undefined;
    });
    expect(await qemuProcessesUnder(folders.runDir)).toEqual([]);
    // Started again, it boots from the restored disk: the backup held boot-count 1.
    await customer.post(`/servers/${id}/start`);
    await serverReaches(customer, id, "running");
    const console2 = await openConsole(c, customerToken, id);
    expect(parseTinyReadyLine((await console2.waitFor(READY, 60_000))[0])).toMatchObject({ boots: "2" });
    console2.close();
    const removed = await runCli(c, customerToken, ["servers", "backups", "delete", id, taken.id]);
    expect(removed.code, removed.output).toBe(0);
    expect(removed.output).toContain("deleting");
    await customer.del(`/servers/${id}`);
    await serverGone(customer, id);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 300_000);

  it("after an agent restart, deletes a half-written backup (and its node left in QEMU) and takes it again", async () => {
    const created = await customer.post("/servers", {
      name: "crashy",
      site_id: siteId,
      plan_id: planId,
      image_id: imageId,
    });
    const id = created.body.id as string;
    await serverReaches(customer, id, "running");
    await host!.agent.stop();
    // While the agent is away: a backup is requested, and the host holds what a killed agent
    // leaves mid-backup: a .partial file that QEMU still has open as the job's target node, and
    // a backup file nobody wants any more.
    const taken = await customer.post(`/servers/${id}/backups`);
    expect(taken.status).toBe(201);
    const backupId = taken.body.id as string;
    const vmId = vmIdForServer(id);
    const dir = join(folders.stateDir, "backups", vmId);
    await mkdir(dir, { recursive: true });
    const partial = join(dir, `${backupId}.qcow2.partial`);
    await createBackupTarget(partial, 1024 ** 2);
    const outsider = new QemuDriver({ runDir: folders.runDir, dataDir: join(folders.stateDir, "vms") });
    await outsider.qmp(vmId, "blockdev-add", {
      driver: "qcow2",
      "node-name": `bk-${backupId.slice(4)}`,
      file: { driver: "file", filename: partial },
    });
    await outsider.close();
    const stray = join(dir, `${newId("backup")}.qcow2`);
    await writeFile(stray, "not wanted");

    host!.agent = await startTestAgent(c, folders);
    const backup = await backupReaches(id, backupId, "available");
    const file = join(dir, `${backupId}.qcow2`);
    expect((await stat(file)).size).toBe(backup.size_bytes);
    expect((await imageInfo(file, "qcow2")).virtualSizeBytes).toBeGreaterThan(1024 ** 2);
    expect(await exists(partial)).toBe(false);
    expect(await exists(stray)).toBe(false);
    // The VM ran through it all.
    expect((await customer.get(`/servers/${id}`)).body.observed_state).toBe("running");
    await customer.del(`/servers/${id}`);
    await serverGone(customer, id);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 300_000);
});
