import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { vmIdForServer } from "@layerboom/core";
import { parseTinyReadyLine } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient, TestController } from "../support/controller.js";
import { eventually, openConsole, runCli, serverGone, serverReaches, vmFilesOf } from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { startTinyHost } from "../support/tiny-host.js";
import type { TinyHost } from "../support/tiny-host.js";

const READY = /LAYERBOOM-READY [^\r\n]*\r?\n/;

/**
 * Capture with a real agent and real QEMU (docs/images.md, "Capture"): the tiny guest counts its
 * boots in a file on its disk, so a server started from a captured image shows that the disk
 * came along. A running server is captured live (blockdev-backup) from the CLI, a stopped one
 * with qemu-img; both images boot as new servers, and one is exported. The Debian round trip
 * (generalised, new host keys, the customer's file kept) is in
 * debian-server.ssh-login-through-api.test.ts, on the guest that test already boots.
 */
describe("capturing real servers into images that boot", () => {
  let c: TestController;
  let folders: HostFolders;
  let host: TinyHost | undefined;
  let customer: ApiClient;
  let token: string;
  let siteId: string;
  let planId: string;
  let imageId: string;

  beforeAll(async () => {
    host = await startTinyHost("hv-capture");
    ({ c, folders, customer, siteId, planId, imageId } = host);
    token = host.customerToken;
  }, 240_000);

  afterAll(async () => {
    await host?.stop();
  });

  async function boots(serverId: string): Promise<string> {
    const console = await openConsole(c, token, serverId);
    try {
      return parseTinyReadyLine((await console.waitFor(READY, 90_000))[0])?.boots ?? "";
    } finally {
      console.close();
    }
  }

  async function jobEnds(jobId: string): Promise<any> {
    return eventually(
      `job ${jobId} to end`,
      async () => {
        const job = (await customer.get(`/image-jobs/${jobId}`)).body;
        return job.state === "succeeded" || job.state === "failed" ? job : undefined;
      },
      240_000,
    );
  }

  async function serverFrom(image: string, name: string): Promise<string> {
    const made = await customer.post("/servers", { name, site_id: siteId, plan_id: planId, image_id: image });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await serverReaches(customer, made.body.id, "running", 120_000);
    return made.body.id as string;
  }

  it("captures a running server live and a stopped one as it is; new servers boot from both", async () => {
    const id = await serverFrom(imageId, "original");
    expect(await boots(id)).toBe("1");

    // Running: copied live over QMP, from the CLI, which follows the job to its end.
    const live = await runCli(c, token, ["-o", "json", "servers", "image", id, "--name", "live-copy"], {
      timeoutMs: 240_000,
    });
    expect(live.code, live.output).toBe(0);
    const liveJob = JSON.parse(live.output.slice(live.output.indexOf("{")));
    expect(liveJob).toMatchObject({
      kind: "capture",
      state: "succeeded",
      result: { method: "blockdev-backup" },
    });
    // The tiny guest's disk is a bare ext4 with no /etc: captured, and recorded as not generalised.
    expect(liveJob.result.generalized).toBe(false);
    const liveImage = (await customer.get(`/images/${liveJob.image_id}`)).body;
    expect(liveImage).toMatchObject({ status: "available", visibility: "private", name: "live-copy" });
    const generalize = liveImage.pipeline.find((s: any) => s.step === "generalize");
    expect(generalize.skipped).toMatch(/ext\d without \/etc/);
    expect((await customer.get(`/servers/${id}`)).body.observed_state).toBe("running");

    // Stopped: copied with qemu-img.
    await customer.post(`/servers/${id}/stop`);
    await serverReaches(customer, id, "stopped");
    const queued = await customer.post(`/servers/${id}/image`, { name: "stopped-copy" });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const stoppedJob = await jobEnds(queued.body.id);
    expect(stoppedJob, JSON.stringify(stoppedJob)).toMatchObject({
      state: "succeeded",
      result: { method: "qemu-img-convert" },
    });

    // New servers boot from both images, with the original's disk: its boot count goes on.
    const fromLive = await serverFrom(liveJob.image_id, "from-live");
    expect(await boots(fromLive)).toBe("2");
    const fromStopped = await serverFrom(stoppedJob.image_id, "from-stopped");
    expect(await boots(fromStopped)).toBe("2");

    // A captured image exports like any other.
    const exported = await customer.post(`/images/${stoppedJob.image_id}/exports`, { format: "vmdk" });
    expect(exported.status, JSON.stringify(exported.body)).toBe(202);
    expect(await jobEnds(exported.body.id)).toMatchObject({ state: "succeeded" });

    // The host keeps no copy once uploaded, and nothing is left when the servers go.
    expect(
      await readdir(join(folders.stateDir, "backups", ".captures", vmIdForServer(id))).catch(() => []),
    ).toEqual([]);
    for (const s of [id, fromLive, fromStopped]) await customer.del(`/servers/${s}`);
    for (const s of [id, fromLive, fromStopped]) await serverGone(customer, s, 120_000);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 900_000);
});
