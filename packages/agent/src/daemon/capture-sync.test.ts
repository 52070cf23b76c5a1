import type { CaptureMethod, DesiredServer } from "@layerboom/core";
import { describe, expect, it } from "vitest";
import type { Logger } from "../qemu/logger.js";
import { CaptureSync } from "./capture-sync.js";
import { FakeDriver } from "./fake-driver.test-helpers.js";

const SERVER = "srv_00000000000000000000000001";
const VM = "srv-00000000000000000000000001";
const CAPTURE = "job_00000000000000000000000001";
const quiet: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

function desired(captures: string[]): DesiredServer {
  return {
    server_id: SERVER,
    generation: 1,
    desired_state: "stopped",
    reboot_seq: 0,
    backups: [],
    captures,
    vcpus: 1,
    memory_mib: 256,
    disk_gib: 1,
    hostname: "web-1",
    ssh_authorized_keys: [],
    image: { id: "img_1", disk: { sha256: "d".repeat(64), size_bytes: 1, format: "qcow2" } },
  };
}

describe("CaptureSync", () => {
  it("copies a wanted capture, uploads it with its method, deletes the copy, and does it once", async () => {
    const driver = new FakeDriver();
    driver.addVm(VM);
    const uploads: [string, string, CaptureMethod][] = [];
    const sync = new CaptureSync(driver, async (...args) => void uploads.push(args), quiet, 1);
    expect(await sync.sync(desired([CAPTURE]), VM)).toEqual([]);
    expect(uploads).toEqual([[CAPTURE, `/fake/captures/${VM}/${CAPTURE}.qcow2`, "qemu-img-convert"]]);
    expect(await driver.listCaptures(VM)).toEqual([]);
    // Until the controller stops asking, the capture is not taken again.
    expect(await sync.sync(desired([CAPTURE]), VM)).toEqual([]);
    expect(driver.calls.filter((c) => c.method === "takeCapture")).toHaveLength(1);
  });

  it("says blockdev-backup for a running VM", async () => {
    const driver = new FakeDriver();
    driver.addVm(VM, { state: "running" });
    const methods: CaptureMethod[] = [];
    const sync = new CaptureSync(driver, async (_id, _path, method) => void methods.push(method), quiet, 1);
    await sync.sync(desired([CAPTURE]), VM);
    expect(methods).toEqual(["blockdev-backup"]);
  });

  it("retries an upload, then reports the capture failed and does not take it again while wanted", async () => {
    const driver = new FakeDriver();
    driver.addVm(VM);
    let tries = 0;
    const sync = new CaptureSync(
      driver,
      async () => {
        tries++;
        throw new Error("HTTP 507 below the free-space reserve");
      },
      quiet,
      1,
    );
    const failed = await sync.sync(desired([CAPTURE]), VM);
    expect(tries).toBe(3);
    expect(failed).toEqual([
      { capture_id: CAPTURE, state: "failed", error: "HTTP 507 below the free-space reserve" },
    ]);
    expect(await driver.listCaptures(VM)).toEqual([]);
    expect(await sync.sync(desired([CAPTURE]), VM)).toHaveLength(1);
    expect(tries).toBe(3);
    // Once no longer wanted, the failure is forgotten.
    expect(await sync.sync(desired([]), VM)).toEqual([]);
  });

  it("deletes a copy a crash left behind, and one no longer wanted", async () => {
    const driver = new FakeDriver();
    driver.addVm(VM);
    await driver.takeCapture(VM, CAPTURE);
    const sync = new CaptureSync(driver, async () => undefined, quiet, 1);
    expect(await sync.sync(desired([]), VM)).toEqual([]);
    expect(await driver.listCaptures(VM)).toEqual([]);
  });

  it("reports a server without a disk as a failed capture", async () => {
    const driver = new FakeDriver();
    driver.addVm(VM, { hasDisk: false });
    const sync = new CaptureSync(driver, async () => undefined, quiet, 1);
    const [failed] = await sync.sync(desired([CAPTURE]), VM);
    expect(failed?.error).toMatch(/no disk yet/);
  });
});
