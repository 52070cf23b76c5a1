import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  QmpClient,
  QmpCommandError,
  QmpConnectionClosedError,
  QmpTimeoutError,
  spawnQemu,
  waitForProcessExit,
  type QmpEvent,
} from "@layerboom/agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** A paused, guest-less QEMU: enough for QMP and quick to start. */
async function startQemu(dir: string): Promise<{ pid: number; socket: string }> {
  const socket = join(dir, "qmp.sock");
  const { pid } = spawnQemu(
    "qemu-system-x86_64",
    [
      "-nodefaults",
      "-no-user-config",
      "-machine",
      "q35",
      "-accel",
      "tcg",
      "-display",
      "none",
      "-S",
      "-qmp",
      `unix:${socket},server=on,wait=off`,
    ],
    join(dir, "qemu.log"),
  );
  for (let i = 0; i < 200; i++) {
    try {
      const probe = await QmpClient.connect(socket, { connectTimeoutMs: 2_000 });
      await probe.close();
      return { pid, socket };
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error("QEMU did not open its QMP socket");
}

describe("QmpClient against a real QEMU", () => {
  let dir: string;
  let qemu: { pid: number; socket: string };
  let client: QmpClient | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-qmp-"));
    qemu = await startQemu(dir);
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    try {
      process.kill(qemu.pid, "SIGCONT");
      process.kill(qemu.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    await waitForProcessExit(qemu.pid, 5_000);
    await rm(dir, { recursive: true, force: true });
  });

  it("negotiates capabilities and correlates concurrent commands by id", async () => {
    client = await QmpClient.connect(qemu.socket);
    expect(client.greeting.version.qemu.major).toBeGreaterThanOrEqual(7);
    const [status, version, name, kvm] = await Promise.all([
      client.execute<{ status: string }>("query-status"),
      client.execute<{ qemu: { major: number } }>("query-version"),
      client.execute<Record<string, unknown>>("query-name"),
      client.execute<{ enabled: boolean }>("query-kvm"),
    ]);
    expect(status.status).toBe("prelaunch");
    expect(version.qemu.major).toBe(client.greeting.version.qemu.major);
    expect(name).toEqual({});
    expect(kvm.enabled).toBe(false);
  });

  it("turns a QMP error answer into QmpCommandError", async () => {
    client = await QmpClient.connect(qemu.socket);
    const err = await client.execute("no-such-command").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpCommandError);
    expect((err as QmpCommandError).errorClass).toBe("CommandNotFound");
    await expect(client.execute("query-status")).resolves.toMatchObject({ status: "prelaunch" });
  });

  it("emits RESUME, STOP, RESET and POWERDOWN events", async () => {
    client = await QmpClient.connect(qemu.socket);
    const seen: string[] = [];
    client.on("event", (e: QmpEvent) => seen.push(e.event));
    const resumed = client.waitForEvent("RESUME", 5_000);
    await client.execute("cont");
    expect((await resumed).timestampMs).toBeGreaterThan(Date.now() - 60_000);
    const stopped = client.waitForEvent("STOP", 5_000);
    await client.execute("stop");
    await stopped;
    const reset = client.waitForEvent("RESET", 5_000);
    await client.execute("system_reset");
    expect((await reset).data).toMatchObject({ guest: false });
    const powerdown = client.waitForEvent("POWERDOWN", 5_000);
    await client.execute("system_powerdown");
    await powerdown;
    expect(seen).toEqual(expect.arrayContaining(["RESUME", "STOP", "RESET", "POWERDOWN"]));
  });

  it("times out a command QEMU does not answer, drops the late answer, and carries on", async () => {
    client = await QmpClient.connect(qemu.socket, { commandTimeoutMs: 5_000 });
    process.kill(qemu.pid, "SIGSTOP");
    const err = await client.execute("query-status", undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    process.kill(qemu.pid, "SIGCONT");
    await expect(client.execute<{ status: string }>("query-status")).resolves.toEqual({
      running: false,
      singlestep: false,
      status: "prelaunch",
    });
  });

  it("times out the greeting while another client holds the monitor", async () => {
    client = await QmpClient.connect(qemu.socket);
    const err = await QmpClient.connect(qemu.socket, { connectTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
  });

  it("rejects pending commands and reports the loss when QEMU dies", async () => {
    client = await QmpClient.connect(qemu.socket);
    const closed = new Promise<Error | undefined>((resolve) => client?.once("close", resolve));
    process.kill(qemu.pid, "SIGSTOP");
    const pending = client.execute("query-status").catch((e: unknown) => e);
    process.kill(qemu.pid, "SIGKILL");
    expect(await pending).toBeInstanceOf(QmpConnectionClosedError);
    expect(await closed).toBeInstanceOf(Error);
    expect(client.closed).toBe(true);
    await expect(client.execute("query-status")).rejects.toBeInstanceOf(QmpConnectionClosedError);
  });

  it("closes cleanly and leaves QEMU running", async () => {
    client = await QmpClient.connect(qemu.socket);
    const closed = new Promise<Error | undefined>((resolve) => client?.once("close", resolve));
    await client.close();
    expect(await closed).toBeUndefined();
    const again = await QmpClient.connect(qemu.socket);
    await expect(again.execute("query-status")).resolves.toMatchObject({ status: "prelaunch" });
    await again.close();
  });
});
