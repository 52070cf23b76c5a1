import { dirname, join } from "node:path";
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import type { _InstanceType } from "@aws-sdk/client-ec2";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDebianHost } from "../support/debian-host.js";
import type { DebianHost } from "../support/debian-host.js";
import { createEc2Credentials, ec2Sdk } from "../support/ec2.js";
import { serverGone, serverReaches, vmFilesOf } from "../support/hosts.js";
import { sshRun } from "../support/ssh.js";

/** A user-data script, as a customer hands it to run-instances: cloud-init runs it once, as root. */
const USER_DATA = '#!/bin/sh\necho "ran as $(id -un) on $(hostname)" > /root/user-data-ran\n';

/**
 * Layerboom installs the customer's keys for root, as VPS providers do (DigitalOcean, Linode).
 * The `debian-12` image (debootstrap, cloud-init, openssh-server) in the catalog, a server
 * created through the EC2 API (RunInstances with the customer's key pair and a user-data
 * script; it is a server of the REST API like any other), and a real SSH login through the
 * forwarded port: cloud-init in a real guest applied the key and the hostname, and ran the
 * customer's script (docs/ec2.md, "User-data").
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

    await customer.del(`/servers/${id}`);
    await serverGone(customer, id, 120_000);
    expect(await vmFilesOf(h.folders)).toEqual([]);
  }, 900_000);
});
