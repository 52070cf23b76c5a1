import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QemuDriver, waitForProcessExit, type QemuDriverOptions } from "@layerboom/agent";
import { ensureDebianGuest } from "@layerboom/testkit";
import { runProgram } from "@layerboom/sys";
import { sshRun } from "../support/ssh.js";
import { afterAll, describe, expect, it } from "vitest";

const HOSTNAME = "deb-ssh-test";
const SERVER_ID = "deb-ssh-1";

describe("the debian-12 guest", () => {
  let root: string | undefined;
  let options: QemuDriverOptions | undefined;
  let driver: QemuDriver | undefined;

  afterAll(async () => {
    if (!root || !options) return;
    // Whatever a failed test left: destroy through a fresh driver so no QEMU outlives the run.
    await driver?.close();
    const sweeper = new QemuDriver(options);
    const ids = new Set<string>();
    for (const dir of [options.runDir, options.dataDir]) {
      for (const name of await readdir(dir ?? "").catch(() => [] as string[])) ids.add(name);
    }
    for (const id of ids) await sweeper.destroy(id).catch(() => undefined);
    await sweeper.close();
    await rm(root, { recursive: true, force: true });
  }, 120_000);

  it("is built from Debian packages, boots with cloud-init from a NoCloud seed and accepts an SSH login", async () => {
    // Built inside the test, not in a hook: a guest that cannot be built fails this test.
    const buildStarted = Date.now();
    const guest = await ensureDebianGuest({
      onProgress: (line) => process.stdout.write(`debootstrap: ${line}\n`),
    });
    process.stdout.write(
      `debian-12 guest ready ${Date.now() - buildStarted} ms after ensureDebianGuest (${guest.dir})\n`,
    );
    expect(guest.diskFormat).toBe("qcow2");
    expect(guest.kernelRelease).toMatch(/-cloud-amd64$/);
    expect(guest.packages["cloud-init"]).toBeDefined();
    expect((await stat(guest.disk)).size).toBeGreaterThan(0);

    root = await mkdtemp(join(tmpdir(), "lbd-"));
    options = { runDir: join(root, "run"), dataDir: join(root, "data"), accel: "tcg" };
    driver = new QemuDriver(options);

    const key = join(root, "id_ed25519");
    await runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "layerboom-test", "-f", key]);
    const publicKey = (await readFile(`${key}.pub`, "utf8")).trim();

    const t0 = Date.now();
    const started = await driver.ensureRunning({
      serverId: SERVER_ID,
      vcpus: 2,
      memoryMiB: 1024,
      disk: { baseImage: guest.disk, baseFormat: guest.diskFormat },
      kernelBoot: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append },
      seed: {
        instanceId: SERVER_ID,
        hostname: HOSTNAME,
        sshAuthorizedKeys: [publicKey],
        user: guest.defaultUser,
      },
    });
    expect(started).toMatchObject({ state: "running", accel: "tcg" });
    const port = started.sshHostPort ?? 0;
    expect(port).toBeGreaterThan(0);

    const console = await driver.console(SERVER_ID);
    const ready = await console.waitFor(guest.readyPattern, { timeoutMs: 600_000 }).catch((err: unknown) => {
      const tail = console.history().toString("utf8").split("\n").slice(-40).join("\n");
      throw new Error(`no readiness line on the serial console; its tail:\n${tail}`, { cause: err });
    });
    const readyMs = Date.now() - t0;
    expect(ready[2]).toContain("NoCloud");

    const hostname = await sshRun(port, guest.defaultUser, key, ["hostname"]);
    const sshMs = Date.now() - t0;
    expect(hostname.trim()).toBe(HOSTNAME);
    // The default user got passwordless sudo from the seed.
    expect((await sshRun(port, guest.defaultUser, key, ["sudo", "-n", "id", "-u"])).trim()).toBe("0");
    // cloud-init finished without a failed module (`cloud-init status` exits non-zero on errors).
    expect(await sshRun(port, guest.defaultUser, key, ["cloud-init", "status"])).toContain("status: done");
    process.stdout.write(
      `debian-12 under TCG: cloud-init final message ${readyMs} ms, first SSH command answered ${sshMs} ms after ensureRunning (${ready[0].trim()})\n`,
    );

    const paths = driver.paths(SERVER_ID);
    await driver.destroy(SERVER_ID);
    expect(await waitForProcessExit(started.pid ?? 0, 10_000)).toBe(true);
    await expect(stat(paths.runDir)).rejects.toThrow();
    await expect(stat(paths.dataDir)).rejects.toThrow();
    expect(await readdir(options.runDir ?? "")).toEqual([]);
    expect(await readdir(options.dataDir ?? "")).toEqual([]);
    expect(await driver.list()).toEqual([]);
  }, 3_600_000);
});
