import { readFile, writeFile } from "node:fs/promises";
import { QemuDriver } from "@layerboom/agent";
import { parseTinyReadyLine } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driverFixture, type DriverFixture } from "./tiny-vm.js";

describe("a new QemuDriver (agent restart) finds running VMs again", () => {
  let fx: DriverFixture;
  const drivers: QemuDriver[] = [];

  beforeAll(async () => {
    fx = await driverFixture();
  }, 300_000);

  afterAll(async () => {
    await fx?.cleanup(drivers);
  }, 60_000);

  it("rediscovers the VM, attaches to it and does not start a duplicate", async () => {
    const first = new QemuDriver(fx.options);
    drivers.push(first);
    const spec = fx.spec("survivor");
    const before = await first.ensureRunning(spec);
    await (await first.console("survivor")).waitFor(fx.guest.readyPattern, { timeoutMs: 60_000 });
    // The agent "dies": its connections go, QEMU stays.
    await first.close();

    const second = new QemuDriver(fx.options);
    drivers.push(second);
    const seen = await second.rediscover();
    expect(seen).toEqual([
      expect.objectContaining({
        serverId: "survivor",
        state: "running",
        pid: before.pid,
        sshHostPort: before.sshHostPort,
        known: true,
      }),
    ]);
    const again = await second.ensureRunning(spec);
    expect(again.pid).toBe(before.pid);
    expect(await second.list()).toHaveLength(1);

    // The new driver's console and QMP work: reboot and see readiness again.
    const console = await second.console("survivor");
    const mark = console.offset;
    await second.reboot("survivor");
    const line = await console.waitFor(fx.guest.readyPattern, { timeoutMs: 60_000, since: mark });
    expect(parseTinyReadyLine(line[0])).toMatchObject({ hostname: "host-survivor", boots: "2" });
    await second.destroy("survivor");
  });

  it("never trusts a stale pidfile that names some other process", async () => {
    const driver = new QemuDriver(fx.options);
    drivers.push(driver);
    await driver.ensureRunning(fx.spec("stale"));
    const paths = driver.paths("stale");
    const realPid = Number((await readFile(paths.pidfile, "utf8")).trim());
    await driver.close();

    // Simulate a host where the pid now belongs to something else: point the records at this test process.
    process.kill(realPid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(paths.pidfile, `${process.pid}\n`);
    const runtime = JSON.parse(await readFile(paths.runtimeFile, "utf8")) as Record<string, unknown>;
    await writeFile(paths.runtimeFile, JSON.stringify({ ...runtime, pid: process.pid }));

    const fresh = new QemuDriver(fx.options);
    drivers.push(fresh);
    expect(await fresh.inspect("stale")).toMatchObject({ state: "stopped", known: true });
    expect(await fresh.ensureStopped("stale")).toEqual({ serverId: "stale", how: "already-stopped" });
    const restarted = await fresh.ensureRunning(fx.spec("stale"));
    expect(restarted.pid).not.toBe(process.pid);
    expect(restarted.state).toBe("running");
    await fresh.destroy("stale");
  });

  it("lists an orphan QEMU that has no spec on this host", async () => {
    const driver = new QemuDriver(fx.options);
    drivers.push(driver);
    await driver.ensureRunning(fx.spec("orphan"));
    await driver.close();
    await writeFile(driver.paths("orphan").specFile, "not json");
    const fresh = new QemuDriver(fx.options);
    drivers.push(fresh);
    expect(await fresh.list()).toEqual([
      expect.objectContaining({ serverId: "orphan", state: "running", known: false }),
    ]);
    await fresh.destroy("orphan");
    expect(await fresh.list()).toEqual([]);
  });
});
