import { readdir, stat } from "node:fs/promises";
import { connect } from "node:net";
import { QemuDriver, VmNotRunningError, waitForProcessExit, type VmEvent } from "@layerboom/agent";
import { parseTinyReadyLine, TINY_POWEROFF_LINE } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { driverFixture, type DriverFixture } from "./tiny-vm.js";

/** One try: the first line the guest's port 22 sends, or undefined if the connection closes first. */
function bannerOnce(port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      text += d;
      if (text.includes("\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text.trim());
      }
    });
    // QEMU's user network accepts on the host side at once and closes when nothing listens
    // in the guest yet (its `nc` starts in the background as the readiness line prints).
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The guest's SSH banner through the forwarded port, retrying until its listener is up. */
async function banner(port: number, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await bannerOnce(port, 5_000);
    if (text !== undefined) return text;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no banner on port ${port}`);
}

describe("QemuDriver boots the tiny guest", () => {
  let fx: DriverFixture;
  let driver: QemuDriver;
  const events: VmEvent[] = [];

  beforeAll(async () => {
    fx = await driverFixture();
    driver = new QemuDriver(fx.options);
    driver.on("vm", (e) => events.push(e));
  }, 300_000);

  afterAll(async () => {
    await fx?.cleanup([driver]);
  }, 60_000);

  it("starts from an overlay + seed, reboots, stops gracefully, starts again and is destroyed without leftovers", async () => {
    const spec = fx.spec("tiny-1");
    const t0 = Date.now();
    const started = await driver.ensureRunning(spec);
    expect(started).toMatchObject({
      serverId: "tiny-1",
      state: "running",
      qmpStatus: "running",
      accel: "tcg",
      known: true,
    });
    expect(started.sshHostPort).toBeGreaterThan(0);
    const paths = driver.paths("tiny-1");

    const console = await driver.console("tiny-1");
    const ready = await console.waitFor(fx.guest.readyPattern, { timeoutMs: 60_000 });
    const bootMs = Date.now() - t0;
    const fields = parseTinyReadyLine(ready[0]);
    expect(fields).toMatchObject({ hostname: "host-tiny-1", boots: "1", ip: "10.0.2.15" });
    expect(fields?.seed).toMatch(/^\/dev\/vd/);
    process.stdout.write(`tiny guest ready under TCG ${bootMs} ms after ensureRunning\n`);

    // Idempotent: a second call changes nothing.
    expect(await driver.ensureRunning(spec)).toMatchObject({
      state: "running",
      pid: started.pid,
      sshHostPort: started.sshHostPort,
    });

    // The SSH forward reaches the guest's port 22.
    expect(await banner(started.sshHostPort ?? 0)).toBe("SSH-2.0-LayerboomTiny");

    // The console is interactive.
    const mark = console.offset;
    console.write("echo typed-$((40+2))\n");
    await console.waitFor(/typed-42/, { timeoutMs: 20_000, since: mark });

    // Reboot: the readiness line comes again, and the overlay kept the boot counter.
    const beforeReboot = console.offset;
    await driver.reboot("tiny-1");
    const again = await console.waitFor(fx.guest.readyPattern, { timeoutMs: 60_000, since: beforeReboot });
    expect(parseTinyReadyLine(again[0])).toMatchObject({ boots: "2" });
    expect(events.map((e) => e.type)).toContain("reset");

    // Graceful stop through ACPI.
    const stopStarted = Date.now();
    // A generous grace: under TCG on a loaded 2-core machine the guest can take a while to act on it.
    const stopped = await driver.ensureStopped("tiny-1", { gracefulTimeoutMs: 60_000 });
    process.stdout.write(`graceful ACPI stop took ${Date.now() - stopStarted} ms\n`);
    expect(stopped.how).toBe("acpi");
    expect(console.history().toString()).toContain(TINY_POWEROFF_LINE);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["powerdown", "shutdown", "exited"]));
    expect(await driver.inspect("tiny-1")).toMatchObject({
      state: "stopped",
      known: true,
      sshHostPort: started.sshHostPort,
    });
    expect(await driver.ensureStopped("tiny-1")).toEqual({ serverId: "tiny-1", how: "already-stopped" });
    await expect(driver.reboot("tiny-1")).rejects.toBeInstanceOf(VmNotRunningError);
    await expect(stat(paths.runDir)).rejects.toThrow();

    // Start again: same disk (boot counter goes on), same SSH port.
    const restarted = await driver.ensureRunning(spec);
    expect(restarted.sshHostPort).toBe(started.sshHostPort);
    const third = await (
      await driver.console("tiny-1")
    ).waitFor(fx.guest.readyPattern, { timeoutMs: 60_000 });
    expect(parseTinyReadyLine(third[0])).toMatchObject({ boots: "3" });

    await driver.destroy("tiny-1");
    await driver.destroy("tiny-1");
    // Gone, not merely a zombie awaiting its parent's wait().
    expect(await waitForProcessExit(restarted.pid ?? 0, 5_000)).toBe(true);
    await expect(stat(paths.runDir)).rejects.toThrow();
    await expect(stat(paths.dataDir)).rejects.toThrow();
    expect(await readdir(fx.options.runDir ?? "")).toEqual([]);
    expect(await readdir(fx.options.dataDir ?? "")).toEqual([]);
    expect(await driver.list()).toEqual([]);
  });

  it("falls back to quit when the guest ignores the power button", async () => {
    // Without the ACPI button module loaded the guest never sees system_powerdown.
    const spec = fx.spec("tiny-2", {
      seed: undefined,
      kernelBoot: {
        kernel: fx.guest.kernel,
        initrd: fx.guest.initrd,
        append: `${fx.guest.append} layerboom.busy=1`,
      },
    });
    await driver.ensureRunning(spec);
    const console = await driver.console("tiny-2");
    const ready = await console.waitFor(fx.guest.readyPattern, { timeoutMs: 60_000 });
    expect(parseTinyReadyLine(ready[0])).toMatchObject({ seed: "none", busy: "1" });
    console.write("killall acpid\n");
    await new Promise((r) => setTimeout(r, 500));
    const stopped = await driver.ensureStopped("tiny-2", { gracefulTimeoutMs: 2_000 });
    expect(stopped.how).toBe("quit");
    await driver.destroy("tiny-2");
  });

  it("reports a guest that powers itself off as exited", async () => {
    const spec = fx.spec("tiny-3");
    await driver.ensureRunning(spec);
    const console = await driver.console("tiny-3");
    await console.waitFor(fx.guest.readyPattern, { timeoutMs: 60_000 });
    const exited = new Promise<VmEvent>((resolve) => {
      const onEvent = (e: VmEvent): void => {
        if (e.serverId === "tiny-3" && e.type === "exited") {
          driver.off("vm", onEvent);
          resolve(e);
        }
      };
      driver.on("vm", onEvent);
    });
    console.write("poweroff -f\n");
    expect((await exited).data).toMatchObject({ reason: "qemu-exited" });
    expect(await driver.inspect("tiny-3")).toMatchObject({ state: "stopped" });
    await driver.destroy("tiny-3");
  });
});
