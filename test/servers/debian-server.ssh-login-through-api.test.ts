import { dirname, join } from "node:path";
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import type { _InstanceType } from "@aws-sdk/client-ec2";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDebianHost } from "../support/debian-host.js";
import type { DebianHost } from "../support/debian-host.js";
import { createEc2Credentials, ec2Sdk } from "../support/ec2.js";
import { eventually, serverGone, serverReaches, vmFilesOf } from "../support/hosts.js";
import { sshRun } from "../support/ssh.js";

/** A user-data script, as a customer hands it to run-instances: cloud-init runs it once, as root. */
const USER_DATA = '#!/bin/sh\necho "ran as $(id -un) on $(hostname)" > /root/user-data-ran\n';

/**
 * Layerboom installs the customer's keys for root, as VPS providers do (DigitalOcean, Linode).
 * The `debian-12` image (debootstrap, cloud-init, openssh-server) in the catalog, a server
 * created through the EC2 API (RunInstances with the customer's key pair and a user-data
 * script; it is a server of the REST API like any other), and a real SSH login through the
 * forwarded port: cloud-init in a real guest applied the key and the hostname, and ran the
 * customer's script (docs/ec2.md, "User-data"). Then the running server is captured into an image
 * (generalised) and a new server boots from it with the customer's file and a new host key.
 */
describe("a debian-12 server created through the EC2 API accepts its owner's SSH key and runs its user-data", () => {
  let h: DebianHost;

  beforeAll(async () => {
    h = await startDebianHost("hv-debian");
  }, 1_500_000);

  afterAll(async () => h?.close());

  it("logs in with the key through the forwarded port; `hostname` prints the server's name; the script ran", async () => {
    const { customer } = h;
    const ec2 = ec2Sdk(h.c, await createEc2Credentials(customer));
    const zone = (await customer.get(`/sites/${h.body.site_id}`)).body.name as string;
    const plan = (await customer.get(`/plans/${h.body.plan_id}`)).body.name as string;
    const run = await ec2.send(
      new RunInstancesCommand({
        // Our own image id, accepted where EC2 takes an AMI id.
        ImageId: h.body.image_id,
        InstanceType: plan as _InstanceType,
        MinCount: 1,
        MaxCount: 1,
        KeyName: "owner",
        Placement: { AvailabilityZone: zone },
        UserData: Buffer.from(USER_DATA).toString("base64"),
      }),
    );
    ec2.destroy();
    const instanceId = run.Instances![0]!.InstanceId!;
    // The instance is a server of the REST API, named after its instance id.
    const listed = (await customer.get(`/servers?name=${instanceId}`)).body.items;
    expect(listed).toHaveLength(1);
    const id = listed[0].id as string;
    // User-data is never shown back.
    expect(JSON.stringify(listed[0])).not.toContain("user-data-ran");
    const server = await serverReaches(customer, id, "running", 180_000);
    const port = server.addresses.find((a: any) => a.kind === "ssh-forward").port as number;
    // cloud-init takes a while under TCG: ssh retries while sshd is not up or lacks the key yet,
    // and the script runs in cloud-init's last stage, which may come after sshd: wait for it.
    const out = await sshRun(
      port,
      "root",
      h.privateKey,
      [
        "sh",
        "-c",
        "'for i in $(seq 300); do [ -s /root/user-data-ran ] && break; sleep 1; done; hostname; cat /root/user-data-ran'",
      ],
      300_000,
    );
    expect(out.trim().split("\n")).toEqual([instanceId, `ran as root on ${instanceId}`]);
    // A key that is not the owner's is refused.
    const other = join(dirname(h.privateKey), "other");
    await runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    await expect(sshRun(port, "root", other, ["true"], 0)).rejects.toThrow();

    // The seed's round trip (docs/images.md, "Capture"): the running server becomes an image,
    // generalised, and a new server boots from it with the customer's file and its own host key.
    // A live copy is crash-consistent: what the guest still holds in its page cache is not on the
    // disk yet (the user-data's file was written moments ago), so the customer syncs first.
    const hostKey = (
      await sshRun(port, "root", h.privateKey, ["sh", "-c", "'sync; cat /etc/ssh/ssh_host_ed25519_key.pub'"])
    ).trim();
    expect(hostKey).toMatch(/^ssh-ed25519 /);
    const queued = await customer.post(`/servers/${id}/image`, { name: "debian-captured" });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await eventually(
      "the capture to end",
      async () => {
        const j = (await customer.get(`/image-jobs/${queued.body.id}`)).body;
        return j.state === "succeeded" || j.state === "failed" ? j : undefined;
      },
      600_000,
    );
    expect(job, JSON.stringify(job)).toMatchObject({
      state: "succeeded",
      result: { method: "blockdev-backup", generalized: true },
    });
    const image = (await customer.get(`/images/${job.image_id}`)).body;
    const generalized = image.pipeline.find((s: any) => s.step === "generalize");
    expect(generalized.filesystem).toBe("ext4");
    expect(Object.fromEntries(generalized.applied.map((s: any) => [s.step, s.outcome]))).toMatchObject({
      "cloud-init": "done",
      "ssh-host-keys": "done",
      "machine-id": "done",
    });
    const copy = await customer.post("/servers", {
      name: "debian-from-image",
      site_id: h.body.site_id,
      plan_id: h.body.plan_id,
      image_id: job.image_id,
      ssh_key_ids: [h.ownerKeyId],
    });
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    const copied = await serverReaches(customer, copy.body.id, "running", 180_000);
    const copyPort = copied.addresses.find((a: any) => a.kind === "ssh-forward").port as number;
    const back = await sshRun(
      copyPort,
      "root",
      h.privateKey,
      ["sh", "-c", "'hostname; cat /root/user-data-ran; cat /etc/ssh/ssh_host_ed25519_key.pub'"],
      300_000,
    );
    const [copyName, file, copyKey] = back.trim().split("\n");
    expect(copyName).toBe("debian-from-image");
    expect(file).toBe(`ran as root on ${instanceId}`);
    expect(copyKey).toMatch(/^ssh-ed25519 /);
    expect(copyKey).not.toBe(hostKey);

    for (const s of [id, copy.body.id as string]) await customer.del(`/servers/${s}`);
    for (const s of [id, copy.body.id as string]) await serverGone(customer, s, 120_000);
    expect(await vmFilesOf(h.folders)).toEqual([]);
  }, 1_800_000);
});
