import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlobRef, DesiredServer, OrphanReport, ServerObservation } from "@layerboom/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CachedImage } from "../disks/base-image-cache.js";
import type { DiskFormat } from "../disks/qemu-img.js";
import { VmStartError } from "../qemu/errors.js";
import type { Logger } from "../qemu/logger.js";
import type { VmSpec } from "../qemu/vm-spec.js";
import { vmSpecHash } from "../qemu/vm-spec.js";
import { FakeDriver } from "./fake-driver.test-helpers.js";
import { Reconciler, type ReconcilerOptions } from "./reconciler.js";

const GIB = 1024 ** 3;
const DISK_SHA = "d".repeat(64);
const KERNEL_SHA = "e".repeat(64);
const INITRD_SHA = "f".repeat(64);

/** A server id as the controller makes them, and the VM id the agent derives from it. */
function ids(n: number): { serverId: string; vmId: string } {
  const tail = String(n).padStart(26, "0");
  return { serverId: `srv_${tail}`, vmId: `srv-${tail}` };
}
const A = ids(1);
const B = ids(2);

function server(id: { serverId: string }, over: Partial<DesiredServer> = {}): DesiredServer {
  return {
    server_id: id.serverId,
    generation: 1,
    desired_state: "running",
    reboot_seq: 0,
    backups: [],
    vcpus: 2,
    memory_mib: 1024,
    disk_gib: 3,
    hostname: "web-1",
    ssh_authorized_keys: ["ssh-ed25519 AAAA test"],
    image: {
      id: "img_1",
      disk: { sha256: DISK_SHA, size_bytes: 1000, format: "qcow2" },
      kernel: { sha256: KERNEL_SHA, size_bytes: 10 },
      initrd: { sha256: INITRD_SHA, size_bytes: 20 },
      kernel_append: "console=ttyS0",
    },
    ...over,
  };
}

/** Image files as the blob fetcher serves them: all in the cache unless told otherwise. */
class StubBlobs {
  readonly ensured: string[] = [];
  readonly failing = new Map<string, Error>();
  readonly missing = new Set<string>();
  /** While set, every ensure waits for it (to hold a pass in the middle). */
  gate: Promise<void> | undefined;

  async cached(sha256: string): Promise<CachedImage | undefined> {
    return this.missing.has(sha256) ? undefined : image(sha256, "raw");
  }

  async ensure(blob: BlobRef, format: DiskFormat): Promise<CachedImage> {
    this.ensured.push(blob.sha256);
    await this.gate;
    const failure = this.failing.get(blob.sha256);
    if (failure) throw failure;
    this.missing.delete(blob.sha256);
    return image(blob.sha256, format);
  }
}

function image(sha256: string, format: DiskFormat): CachedImage {
  return { sha256, format, path: `/cache/${sha256}`, sizeBytes: 1 };
}

/** The spec the reconciler should make of `server(A)`, with `over` changed. */
function specOfA(over: Partial<VmSpec> = {}): VmSpec {
  return {
    serverId: A.vmId,
    vcpus: 2,
    memoryMiB: 1024,
    disk: { baseImage: `/cache/${DISK_SHA}`, baseFormat: "qcow2", sizeBytes: 3 * GIB },
    kernelBoot: { kernel: `/cache/${KERNEL_SHA}`, initrd: `/cache/${INITRD_SHA}`, append: "console=ttyS0" },
    seed: { instanceId: A.serverId, hostname: "web-1", sshAuthorizedKeys: ["ssh-ed25519 AAAA test"] },
    ...over,
  };
}

interface Report {
  servers: ServerObservation[];
  orphans: OrphanReport[] | undefined;
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (_obj, msg) => errors.push(msg ?? ""),
  };
}

describe("Reconciler against a FakeDriver", () => {
  let dir: string;
  let driver: FakeDriver;
  let blobs: StubBlobs;
  let reports: Report[];
  let logger: ReturnType<typeof recordingLogger>;
  const reconcilers: Reconciler[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "layerboom-reconciler-"));
    driver = new FakeDriver();
    blobs = new StubBlobs();
    reports = [];
    logger = recordingLogger();
  });

  afterEach(async () => {
    for (const r of reconcilers.splice(0)) await r.stop();
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  /** A reconciler on the shared fake and state file (a second one is an agent restart). */
  function reconciler(over: Partial<ReconcilerOptions> = {}): Reconciler {
    const r = new Reconciler({
      driver,
      blobs,
      stateFile: join(dir, "applied.json"),
      report: (servers, orphans) => reports.push({ servers, orphans }),
      logger,
      listTaps: () => [],
      ...over,
    });
    reconcilers.push(r);
    return r;
  }

  async function converge(r: Reconciler, servers: DesiredServer[]): Promise<void> {
    r.setDesired(servers);
    await r.idle();
  }

  /** Every state reported for a server, announcements included, in order. */
  function statesOf(serverId: string): string[] {
    return reports.flatMap((r) => r.servers.filter((o) => o.server_id === serverId).map((o) => o.state));
  }

  function lastOf(serverId: string): ServerObservation | undefined {
    return reports.flatMap((r) => r.servers.filter((o) => o.server_id === serverId)).at(-1);
  }

  async function appliedState(): Promise<{
    reboots: Record<string, number>;
    restores: Record<string, number>;
  }> {
    return JSON.parse(await readFile(join(dir, "applied.json"), "utf8"));
  }

  describe("lifecycle", () => {
    it("starts a server desired running from its image files and reports it running", async () => {
      const r = reconciler();
      await converge(r, [server(A, { generation: 3 })]);

      const starts = driver.callsOf("ensureRunning", A.vmId);
      expect(starts).toHaveLength(1);
      expect(starts[0]?.args[0]).toEqual(specOfA());
      expect(blobs.ensured).toEqual(expect.arrayContaining([DISK_SHA, KERNEL_SHA, INITRD_SHA]));
      expect(statesOf(A.serverId)).toEqual(["provisioning", "running"]);
      expect(lastOf(A.serverId)).toEqual({
        server_id: A.serverId,
        state: "running",
        generation: 3,
        ssh_host_port: driver.vm(A.vmId).sshHostPort,
        accelerator: "tcg",
        backups: [],
      });
      expect(driver.vm(A.vmId).boots).toBe(1);
    });

    it("leaves a VM that already runs its spec alone after an agent restart, without announcing anything", async () => {
      const first = reconciler();
      await converge(first, [server(A)]);
      await first.stop();
      reports = [];
      await converge(reconciler(), [server(A)]);

      expect(driver.vm(A.vmId).boots).toBe(1);
      expect(driver.callsOf("ensureStopped")).toEqual([]);
      expect(statesOf(A.serverId)).toEqual(["running"]);
    });

    it("announces provisioning for a running VM whose image must be fetched again", async () => {
      const first = reconciler();
      await converge(first, [server(A)]);
      await first.stop();
      blobs.missing.add(DISK_SHA);
      reports = [];
      await converge(reconciler(), [server(A)]);

      expect(statesOf(A.serverId)).toEqual(["provisioning", "running"]);
      expect(driver.vm(A.vmId).boots).toBe(1);
    });

    it("stops a running VM desired stopped, gracefully, and reports it stopped with its port", async () => {
      const r = reconciler({ gracefulStopMs: 1234 });
      await converge(r, [server(A)]);
      const port = driver.vm(A.vmId).sshHostPort;
      await converge(r, [server(A, { desired_state: "stopped", generation: 2 })]);

      expect(driver.callsOf("ensureStopped", A.vmId).map((c) => c.args[0])).toEqual([
        { gracefulTimeoutMs: 1234 },
      ]);
      expect(driver.vm(A.vmId).state).toBe("stopped");
      expect(statesOf(A.serverId)).toEqual(["provisioning", "running", "stopping", "stopped"]);
      expect(lastOf(A.serverId)).toEqual({
        server_id: A.serverId,
        state: "stopped",
        generation: 2,
        ssh_host_port: port,
        backups: [],
      });
    });

    it("gives a guest 30 s to power off by default", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      await converge(r, [server(A, { desired_state: "stopped" })]);

      expect(driver.callsOf("ensureStopped", A.vmId).map((c) => c.args[0])).toEqual([
        { gracefulTimeoutMs: 30_000 },
      ]);
    });

    it("does not stop (or announce stopping) a VM that is already stopped", async () => {
      driver.addVm(A.vmId, { state: "stopped" });
      await converge(reconciler(), [server(A, { desired_state: "stopped" })]);

      expect(driver.callsOf("ensureStopped")).toEqual([]);
      expect(driver.callsOf("ensureRunning")).toEqual([]);
      expect(statesOf(A.serverId)).toEqual(["stopped"]);
    });

    it("destroys a deleted server, reports it deleted without a port, and forgets what it applied", async () => {
      const r = reconciler();
      await converge(r, [server(A, { reboot_seq: 2, backups: ["bkp_a"] })]);
      expect((await appliedState()).reboots[A.serverId]).toBe(2);
      await converge(r, [server(A, { desired_state: "deleted", generation: 5 })]);

      expect(driver.callsOf("destroy", A.vmId).length).toBeGreaterThan(0);
      expect(driver.vms.has(A.vmId)).toBe(false);
      expect(statesOf(A.serverId).slice(-2)).toEqual(["deleting", "deleted"]);
      expect(lastOf(A.serverId)).toEqual({ server_id: A.serverId, state: "deleted", generation: 5 });
      expect((await appliedState()).reboots).not.toHaveProperty(A.serverId);
    });

    it("destroys again, idempotently, on every pass while the controller still lists the server as deleted", async () => {
      driver.addVm(A.vmId, { state: "stopped" });
      const r = reconciler();
      await converge(r, [server(A, { desired_state: "deleted" })]);
      r.trigger();
      await r.idle();

      expect(driver.callsOf("destroy", A.vmId)).toHaveLength(2);
      expect(driver.callsOf("inspect")).toEqual([]);
      expect(statesOf(A.serverId)).toEqual(["deleting", "deleted", "deleting", "deleted"]);
    });

    it("converges several servers in one pass and reports each", async () => {
      await converge(reconciler(), [server(A), server(B, { desired_state: "stopped" })]);

      expect(driver.vm(A.vmId).state).toBe("running");
      expect(driver.vms.has(B.vmId)).toBe(false);
      expect(reports.at(-1)?.servers.map((o) => [o.server_id, o.state])).toEqual([
        [A.serverId, "running"],
        [B.serverId, "stopped"],
      ]);
    });
  });

  describe("failures", () => {
    it("reports a VM that fails to start as an error with the driver's message, and starts it on a later pass", async () => {
      const r = reconciler();
      driver.script("ensureRunning", A.vmId, new VmStartError(A.vmId, "qemu: could not open disk"));
      await converge(r, [server(A)]);

      expect(lastOf(A.serverId)).toEqual({
        server_id: A.serverId,
        state: "error",
        generation: 1,
        error: `VM ${A.vmId} failed to start: qemu: could not open disk`,
      });
      expect(logger.errors).toContain("cannot converge server");

      r.trigger();
      await r.idle();
      expect(lastOf(A.serverId)?.state).toBe("running");
      expect(driver.callsOf("ensureRunning", A.vmId)).toHaveLength(2);
    });

    it("cuts a long error to 2000 characters", async () => {
      driver.script("ensureRunning", A.vmId, new Error("x".repeat(5000)));
      await converge(reconciler(), [server(A)]);

      expect(lastOf(A.serverId)?.error).toBe("x".repeat(2000));
    });

    it("reports a VM that starts but does not run as an error naming its state", async () => {
      driver.script("ensureRunning", A.vmId, (vm) => {
        vm.state = "paused";
        vm.qmpStatus = "inmigrate";
      });
      await converge(reconciler(), [server(A)]);

      expect(lastOf(A.serverId)).toMatchObject({ state: "error", error: "VM is paused", accelerator: "tcg" });
    });

    it("reports an image file that cannot be fetched as an error, and starts nothing", async () => {
      blobs.failing.set(KERNEL_SHA, new Error("blob eeeeeeeeeeee…: the controller answered HTTP 404"));
      await converge(reconciler(), [server(A)]);

      expect(driver.callsOf("ensureRunning")).toEqual([]);
      expect(lastOf(A.serverId)).toMatchObject({
        state: "error",
        error: "blob eeeeeeeeeeee…: the controller answered HTTP 404",
      });
    });

    it("refuses a server on a bridge this host does not offer", async () => {
      const network = {
        bridge: "br0",
        tap: `lb${A.serverId.slice(-13)}`,
        ipv4: ["203.0.113.10/24"],
        gateway4: "203.0.113.1",
        nameservers: [],
      };
      await converge(reconciler(), [server(A, { network })]);

      expect(driver.callsOf("ensureRunning")).toEqual([]);
      expect(lastOf(A.serverId)).toMatchObject({
        state: "error",
        error: "bridge br0 is not offered by this host (agent --bridge: none)",
      });
    });

    it("logs a pass that fails outside any one server and runs the next pass as usual", async () => {
      const r = reconciler();
      vi.spyOn(driver, "list").mockRejectedValueOnce(new Error("runDir unreadable"));
      await converge(r, [server(A)]);
      expect(logger.errors).toEqual(["reconcile pass failed"]);

      r.trigger();
      await r.idle();
      expect(lastOf(A.serverId)?.state).toBe("running");
    });
  });

  describe("events from the driver", () => {
    it("power-cycles a crashed guest: stopped without grace, started again, reported running", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      driver.crash(A.vmId);
      await r.idle();

      expect(driver.callsOf("ensureStopped", A.vmId).map((c) => c.args[0])).toEqual([
        { gracefulTimeoutMs: 0 },
      ]);
      expect(driver.vm(A.vmId)).toMatchObject({ state: "running", boots: 2 });
      expect(lastOf(A.serverId)?.state).toBe("running");
    });

    it("starts a guest that powered itself off again while it should run", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      driver.powerOff(A.vmId);
      await r.idle();

      expect(driver.callsOf("ensureStopped")).toEqual([]);
      expect(driver.vm(A.vmId)).toMatchObject({ state: "running", boots: 2 });
    });

    it("leaves a guest that powered off stopped when it should be stopped", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      await converge(r, [server(A, { desired_state: "stopped" })]);
      driver.vm(A.vmId).state = "running";
      driver.powerOff(A.vmId);
      await r.idle();

      expect(driver.vm(A.vmId)).toMatchObject({ state: "stopped", boots: 1 });
    });

    it("runs no pass for events that need nothing done", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      const calls = driver.calls.length;
      for (const type of ["started", "reset", "paused", "resumed", "powerdown"] as const)
        driver.emitVm(A.vmId, type);
      await r.idle();

      expect(driver.calls.length).toBe(calls);
    });

    it("resumes a paused VM on the next pass", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      driver.vm(A.vmId).state = "paused";
      r.trigger();
      await r.idle();

      expect(driver.vm(A.vmId)).toMatchObject({ state: "running", boots: 1 });
    });
  });

  describe("spec changes", () => {
    it("restarts a running VM whose spec changed, gracefully, to apply it", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      await converge(r, [server(A, { vcpus: 4, generation: 2 })]);

      expect(driver.callsOf("ensureStopped", A.vmId).map((c) => c.args[0])).toEqual([
        { gracefulTimeoutMs: 30_000 },
      ]);
      expect(driver.vm(A.vmId)).toMatchObject({
        state: "running",
        boots: 2,
        runningSpecHash: vmSpecHash(specOfA({ vcpus: 4 })),
      });
      expect(lastOf(A.serverId)).toMatchObject({ state: "running", generation: 2 });
    });

    it("does not restart a running VM whose start spec is unknown (started by an older agent)", async () => {
      driver.addVm(A.vmId, {
        state: "running",
        spec: specOfA({ vcpus: 8 }),
        runningSpecHash: undefined,
      });
      await converge(reconciler(), [server(A)]);

      expect(driver.callsOf("ensureStopped")).toEqual([]);
      expect(driver.vm(A.vmId).boots).toBe(0);
    });
  });

  describe("reboots", () => {
    it("takes the reboot_seq of a VM it sees for the first time as applied, without a reset", async () => {
      driver.addVm(A.vmId, { state: "running", spec: specOfA() });
      await converge(reconciler(), [server(A, { reboot_seq: 7 })]);

      expect(driver.callsOf("reboot")).toEqual([]);
      expect((await appliedState()).reboots[A.serverId]).toBe(7);
    });

    it("resets a running VM once per higher reboot_seq, announced as rebooting", async () => {
      const r = reconciler();
      await converge(r, [server(A, { reboot_seq: 1 })]);
      await converge(r, [server(A, { reboot_seq: 2, generation: 2 })]);
      r.trigger();
      await r.idle();

      expect(driver.callsOf("reboot", A.vmId)).toHaveLength(1);
      expect(driver.vm(A.vmId).resets).toBe(1);
      expect(statesOf(A.serverId).slice(-2)).toEqual(["rebooting", "running"]);
    });

    it("lets a fresh boot satisfy the reboots asked for while the VM was stopped", async () => {
      const r = reconciler();
      await converge(r, [server(A, { reboot_seq: 1 })]);
      await converge(r, [server(A, { desired_state: "stopped", reboot_seq: 1 })]);
      await converge(r, [server(A, { reboot_seq: 3 })]);

      expect(driver.callsOf("reboot")).toEqual([]);
      expect(driver.vm(A.vmId).boots).toBe(2);
      expect((await appliedState()).reboots[A.serverId]).toBe(3);
    });

    it("remembers applied reboots across an agent restart", async () => {
      const first = reconciler();
      await converge(first, [server(A, { reboot_seq: 1 })]);
      await first.stop();
      const second = reconciler();
      await converge(second, [server(A, { reboot_seq: 1 })]);
      await second.stop();
      expect(driver.callsOf("reboot")).toEqual([]);

      await converge(reconciler(), [server(A, { reboot_seq: 2 })]);
      expect(driver.callsOf("reboot", A.vmId)).toHaveLength(1);
    });

    it("reports a failed reset as an error and retries it on the next pass", async () => {
      const r = reconciler();
      await converge(r, [server(A, { reboot_seq: 1 })]);
      driver.script("reboot", A.vmId, new Error("QMP command system_reset failed"));
      await converge(r, [server(A, { reboot_seq: 2 })]);
      expect(lastOf(A.serverId)).toMatchObject({ state: "error", error: "QMP command system_reset failed" });

      r.trigger();
      await r.idle();
      expect(driver.callsOf("reboot", A.vmId)).toHaveLength(2);
      expect(driver.vm(A.vmId).resets).toBe(1);
      expect(lastOf(A.serverId)?.state).toBe("running");
    });
  });

  describe("restores", () => {
    it("stops a running VM at once, restores its disk from the backup on its image, and starts it again", async () => {
      const r = reconciler();
      await converge(r, [server(A, { backups: ["bkp_a"] })]);
      driver.calls.length = 0;
      await converge(r, [
        server(A, { backups: ["bkp_a"], restore: { backup_id: "bkp_a", seq: 1 }, generation: 2 }),
      ]);

      const order = driver.calls
        .filter((c) => ["ensureStopped", "restoreBackup", "ensureRunning"].includes(c.method))
        .map((c) => c.method);
      expect(order.slice(0, 3)).toEqual(["ensureStopped", "restoreBackup", "ensureRunning"]);
      expect(driver.callsOf("ensureStopped", A.vmId)[0]?.args[0]).toEqual({ gracefulTimeoutMs: 0 });
      expect(driver.callsOf("restoreBackup", A.vmId)[0]?.args).toEqual([
        "bkp_a",
        { path: `/cache/${DISK_SHA}`, format: "qcow2" },
      ]);
      expect(driver.vm(A.vmId)).toMatchObject({ state: "running", boots: 2, restoredFrom: "bkp_a" });
      expect(statesOf(A.serverId)).toContain("rebooting");
      expect(lastOf(A.serverId)?.state).toBe("running");
    });

    it("restores once: not again on the next pass, nor after an agent restart", async () => {
      const r = reconciler();
      await converge(r, [server(A, { backups: ["bkp_a"] })]);
      const wanted = server(A, { backups: ["bkp_a"], restore: { backup_id: "bkp_a", seq: 1 } });
      await converge(r, [wanted]);
      r.trigger();
      await r.idle();
      await r.stop();
      await converge(reconciler(), [wanted]);

      expect(driver.callsOf("restoreBackup")).toHaveLength(1);
      expect((await appliedState()).restores[A.serverId]).toBe(1);
    });

    it("does not reset after a restore: its fresh boot satisfies a reboot asked for with it", async () => {
      const r = reconciler();
      await converge(r, [server(A, { backups: ["bkp_a"] })]);
      await converge(r, [
        server(A, { backups: ["bkp_a"], reboot_seq: 1, restore: { backup_id: "bkp_a", seq: 1 } }),
      ]);

      expect(driver.callsOf("reboot")).toEqual([]);
      expect((await appliedState()).reboots[A.serverId]).toBe(1);
    });

    it("leaves a restored server stopped when it should be stopped, without announcing a reboot", async () => {
      const r = reconciler();
      driver.addVm(A.vmId, {
        state: "stopped",
        backups: new Map([["bkp_a", { sizeBytes: 5, complete: true }]]),
      });
      await converge(r, [
        server(A, { desired_state: "stopped", backups: ["bkp_a"], restore: { backup_id: "bkp_a", seq: 1 } }),
      ]);

      expect(driver.callsOf("restoreBackup", A.vmId)).toHaveLength(1);
      expect(driver.callsOf("ensureRunning")).toEqual([]);
      expect(statesOf(A.serverId)).not.toContain("rebooting");
      expect(lastOf(A.serverId)?.state).toBe("stopped");
    });

    it("skips for good a restore whose backup is no longer wanted", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      await converge(r, [server(A, { backups: [], restore: { backup_id: "bkp_gone", seq: 4 } })]);

      expect(driver.callsOf("restoreBackup")).toEqual([]);
      expect(driver.callsOf("ensureStopped")).toEqual([]);
      expect(driver.vm(A.vmId).boots).toBe(1);
      expect((await appliedState()).restores[A.serverId]).toBe(4);
    });
  });

  describe("backups", () => {
    it("takes wanted backups, deletes unwanted and half-written files, and reports what it has", async () => {
      driver.addVm(A.vmId, {
        state: "running",
        spec: specOfA(),
        backups: new Map([
          ["bkp_old", { sizeBytes: 9, complete: true }],
          ["bkp_half", { sizeBytes: 3, complete: false }],
          ["bkp_kept", { sizeBytes: 7, complete: true }],
        ]),
      });
      driver.backupSizeBytes = 42;
      await converge(reconciler(), [server(A, { backups: ["bkp_new", "bkp_half", "bkp_kept"] })]);

      expect(driver.callsOf("removeBackup", A.vmId).map((c) => c.args[0])).toEqual(["bkp_half", "bkp_old"]);
      expect(driver.callsOf("takeBackup", A.vmId).map((c) => c.args[0])).toEqual(["bkp_half", "bkp_new"]);
      expect(lastOf(A.serverId)?.backups).toEqual([
        { backup_id: "bkp_half", state: "available", size_bytes: 42 },
        { backup_id: "bkp_kept", state: "available", size_bytes: 7 },
        { backup_id: "bkp_new", state: "available", size_bytes: 42 },
      ]);
    });

    it("syncs the backups of a stopped server too", async () => {
      driver.addVm(A.vmId, { state: "stopped", spec: specOfA() });
      await converge(reconciler(), [server(A, { desired_state: "stopped", backups: ["bkp_a"] })]);

      expect(lastOf(A.serverId)?.backups).toEqual([
        { backup_id: "bkp_a", state: "available", size_bytes: driver.backupSizeBytes },
      ]);
    });

    it("reports a failed backup, removes its leftovers, does not retry it while wanted, and retries it when wanted anew", async () => {
      const r = reconciler();
      driver.script("takeBackup", A.vmId, new Error("backup job bk-a failed: No space left on device"));
      await converge(r, [server(A, { backups: ["bkp_a"] })]);

      expect(lastOf(A.serverId)?.backups).toEqual([
        {
          backup_id: "bkp_a",
          state: "failed",
          size_bytes: 0,
          error: "backup job bk-a failed: No space left on device",
        },
      ]);
      expect(driver.callsOf("removeBackup", A.vmId).map((c) => c.args[0])).toEqual(["bkp_a"]);

      r.trigger();
      await r.idle();
      expect(driver.callsOf("takeBackup", A.vmId)).toHaveLength(1);

      await converge(r, [server(A, { backups: [] })]);
      expect(lastOf(A.serverId)?.backups).toEqual([]);
      await converge(r, [server(A, { backups: ["bkp_a"] })]);
      expect(driver.callsOf("takeBackup", A.vmId)).toHaveLength(2);
      expect(lastOf(A.serverId)?.backups).toMatchObject([{ backup_id: "bkp_a", state: "available" }]);
    });
  });

  describe("orphans", () => {
    const ORPHAN = ids(9).vmId;

    it("reports a VM no server owns at once, and destroys it only once the grace period has passed", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const r = reconciler({ orphanGraceMs: 60_000 });
      const pid = driver.addVm(ORPHAN, { state: "running" }).pid;
      await converge(r, []);
      expect(reports).toEqual([{ servers: [], orphans: [{ vm_id: ORPHAN, pid, action: "reported" }] }]);

      vi.advanceTimersByTime(59_000);
      r.trigger();
      await r.idle();
      expect(driver.callsOf("destroy")).toEqual([]);
      expect(reports).toHaveLength(1);

      vi.advanceTimersByTime(1_000);
      r.trigger();
      await r.idle();
      expect(driver.callsOf("destroy", ORPHAN)).toHaveLength(1);
      expect(driver.vms.has(ORPHAN)).toBe(false);
      expect(reports.at(-1)).toEqual({ servers: [], orphans: [{ vm_id: ORPHAN, pid, action: "destroyed" }] });
    });

    it("reports a stopped orphan without a pid", async () => {
      driver.addVm(ORPHAN, { state: "stopped" });
      await converge(reconciler(), []);

      expect(reports.at(-1)?.orphans).toEqual([{ vm_id: ORPHAN, action: "reported" }]);
    });

    it("reports again when an orphan goes away, and restarts its grace period if it comes back", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const r = reconciler({ orphanGraceMs: 60_000 });
      driver.addVm(ORPHAN, { state: "stopped" });
      await converge(r, []);
      driver.vms.delete(ORPHAN);
      vi.advanceTimersByTime(50_000);
      r.trigger();
      await r.idle();
      expect(reports.at(-1)).toEqual({ servers: [], orphans: [] });

      driver.addVm(ORPHAN, { state: "stopped" });
      r.trigger();
      await r.idle();
      vi.advanceTimersByTime(50_000);
      r.trigger();
      await r.idle();
      expect(driver.callsOf("destroy")).toEqual([]);
    });

    it("does not count a VM of a server in the desired set as an orphan", async () => {
      driver.addVm(A.vmId, { state: "stopped" });
      const r = reconciler({ orphanGraceMs: 0 });
      await converge(r, [server(A, { desired_state: "stopped" })]);

      expect(driver.callsOf("destroy")).toEqual([]);
      expect(reports.every((rep) => (rep.orphans ?? []).length === 0)).toBe(true);
    });
  });

  describe("reporting", () => {
    it("reports only servers whose observation changed", async () => {
      const r = reconciler();
      await converge(r, [server(A), server(B)]);
      reports = [];
      r.trigger();
      await r.idle();
      expect(reports).toEqual([]);

      await converge(r, [server(A), server(B, { generation: 2 })]);
      expect(reports.map((rep) => rep.servers.map((o) => o.server_id))).toEqual([[B.serverId]]);
    });

    it("reports every server again after a reconnect (resendAll)", async () => {
      const r = reconciler();
      await converge(r, [server(A), server(B)]);
      reports = [];
      r.resendAll();
      await r.idle();

      expect(reports.map((rep) => rep.servers.map((o) => o.server_id))).toEqual([[A.serverId, B.serverId]]);
    });

    it("reports a server that left the desired set and came back, even if it looks the same", async () => {
      const r = reconciler({ orphanGraceMs: 60_000 });
      await converge(r, [server(A)]);
      await converge(r, []);
      reports = [];
      await converge(r, [server(A)]);

      expect(reports.flatMap((rep) => rep.servers)).toMatchObject([
        { server_id: A.serverId, state: "running" },
      ]);
    });
  });

  describe("passes", () => {
    it("runs nothing before the first desired set arrives", async () => {
      const r = reconciler();
      driver.addVm(A.vmId, { state: "running" });
      r.trigger();
      driver.crash(A.vmId);
      await r.idle();

      expect(driver.calls).toEqual([]);
      expect(reports).toEqual([]);
    });

    it("never overlaps passes: news during a pass schedules exactly one more", async () => {
      const r = reconciler();
      let release = (): void => undefined;
      blobs.gate = new Promise((resolve) => (release = resolve));
      r.setDesired([server(A)]);
      await vi.waitFor(() => expect(blobs.ensured.length).toBeGreaterThan(0));
      r.setDesired([server(A, { generation: 2 })]);
      r.trigger();
      r.resendAll();
      expect(driver.callsOf("inspect")).toHaveLength(1);
      release();
      blobs.gate = undefined;
      await r.idle();

      expect(driver.callsOf("inspect")).toHaveLength(2);
      expect(driver.callsOf("list")).toHaveLength(2);
      expect(lastOf(A.serverId)).toMatchObject({ state: "running", generation: 2 });
    });

    it("never overlaps passes, even when the driver emits an event before the pass first waits", async () => {
      const r = reconciler();
      await converge(r, [server(A)]);
      driver.calls.length = 0;
      // Nothing to load or fetch for a delete: the fake's destroy emits `exited` at once.
      await converge(r, [server(A, { desired_state: "deleted" })]);

      const onePass = ["destroy", "list", "processes"];
      expect(driver.calls.map((c) => c.method)).toEqual([...onePass, ...onePass]);
    });

    it("saves what servers converging side by side applied, every one of them", async () => {
      const r = reconciler();
      await converge(r, [server(A, { reboot_seq: 4 }), server(B, { reboot_seq: 6 })]);

      expect(reports.at(-1)?.servers.map((o) => o.state)).toEqual(["running", "running"]);
      expect((await appliedState()).reboots).toEqual({ [A.serverId]: 4, [B.serverId]: 6 });
    });

    it("runs periodic passes once started, and none after stop()", async () => {
      const r = reconciler({ resyncIntervalMs: 10 });
      r.start();
      await converge(r, [server(A)]);
      await vi.waitFor(() => expect(driver.callsOf("list").length).toBeGreaterThanOrEqual(3));
      await r.stop();
      const passes = driver.callsOf("list").length;
      await new Promise((resolve) => setTimeout(resolve, 50));
      r.setDesired([server(A, { generation: 2 })]);
      await r.idle();

      expect(driver.callsOf("list")).toHaveLength(passes);
    });
  });
});
