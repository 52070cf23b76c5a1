import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTagsCommand,
  DeleteKeyPairCommand,
  DescribeInstancesCommand,
  GetConsoleOutputCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  waitUntilInstanceRunning,
} from "@aws-sdk/client-ec2";
import type { EC2Client, _InstanceType } from "@aws-sdk/client-ec2";
import type { RunningAgent } from "@layerboom/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SSH_KEY, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { awsCli, awsOk, createEc2Credentials, ec2Sdk } from "../support/ec2.js";
import type { Ec2Credentials, SdkLog } from "../support/ec2.js";
import {
  addHost,
  addIdleHost,
  catalogTiny,
  eventually,
  hostFolders,
  startTestAgent,
  sweepHost,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";

const NANO = "nano" as _InstanceType;
const SMALL = "small" as _InstanceType;
const READY = /LAYERBOOM-READY/;
/** A second zone whose host has no agent: instances there are placed at once and never boot (the paging case). */
const FAR = "far";
const PAGED = 23;

/** The EC2 error code of an SDK failure. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "no error";
  } catch (err) {
    return (err as { Code?: string }).Code ?? (err as Error).name;
  }
}

describe("awscli and @aws-sdk/client-ec2 drive real tiny guests through /ec2", () => {
  let c: TestController;
  let folders: HostFolders;
  let agent: RunningAgent | undefined;
  let provider: ApiClient;
  let keys: Ec2Credentials;
  let otherKeys: Ec2Credentials;
  let sdk: EC2Client;
  const log: SdkLog = { warnings: [] };
  let amiId: string;
  let keyFile: string;
  let scratch: string;

  /** Polls until an instance reaches `state` (through the SDK: the point here is the awscli call before). */
  async function reaches(id: string, state: string, timeoutMs = 120_000): Promise<void> {
    await eventually(
      `${id} ${state}`,
      async () => {
        const r = await sdk.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
        return r.Reservations?.[0]?.Instances?.[0]?.State?.Name === state ? true : undefined;
      },
      timeoutMs,
    );
  }

  beforeAll(async () => {
    c = await startTestController("pglite", { agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 } });
    provider = apiClient(c.url, c.adminToken);
    const siteId = (await provider.get("/sites")).body.items[0].id as string;
    await catalogTiny(c);
    folders = await hostFolders();
    const added = await addHost(provider, siteId, "hv1");
    agent = await startTestAgent(c, folders, { joinToken: added.joinToken });
    const far = await provider.post("/sites", {
      name: FAR,
      country_code: "CA",
      time_zone: "America/Toronto",
    });
    expect(far.status, JSON.stringify(far.body)).toBe(201);
    await addIdleHost(c, far.body.id);
    const a = await createTenant(c, provider, "customer");
    const b = await createTenant(c, provider, "customer");
    keys = await createEc2Credentials(a.api);
    otherKeys = await createEc2Credentials(b.api);
    sdk = ec2Sdk(c, keys, { log });
    scratch = await mkdtemp(join(tmpdir(), "lb-ec2-"));
    keyFile = join(scratch, "laptop.pub");
    await writeFile(keyFile, `${TEST_SSH_KEY}\n`);
    await eventually("host up", async () =>
      (await provider.get(`/hosts/${added.hostId}`)).body.state === "up" ? true : undefined,
    );
  }, 240_000);

  afterAll(async () => {
    sdk?.destroy();
    await agent?.stop();
    if (folders) await sweepHost(folders);
    await c?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("awscli: key pair, idempotent run-instances, wait, console, stop, start, tags, paging, terminate, refusals", async () => {
    const regions = await awsOk(c, keys, ["describe-regions"]);
    expect(regions.Regions).toEqual([expect.objectContaining({ RegionName: "local-1" })]);
    const imported = await awsOk(c, keys, [
      "import-key-pair",
      "--key-name",
      "laptop",
      "--public-key-material",
      `fileb://${keyFile}`,
    ]);
    expect(imported).toMatchObject({ KeyName: "laptop", KeyPairId: expect.stringMatching(/^key-/) });
    const images = await awsOk(c, keys, ["describe-images"]);
    amiId = images.Images.find((i: any) => i.Name === "tiny").ImageId;
    expect(amiId).toMatch(/^ami-[0-9a-f]{17}$/);

    const run = [
      "run-instances",
      "--image-id",
      amiId,
      "--key-name",
      "laptop",
      "--client-token",
      "build-42",
      "--placement",
      "AvailabilityZone=local",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=web-1}]",
    ];
    const first = await awsOk(c, keys, [...run, "--instance-type", "nano"]);
    const id = first.Instances[0].InstanceId as string;
    expect(first.Instances[0]).toMatchObject({
      State: { Code: 0, Name: "pending" },
      InstanceType: "nano",
      KeyName: "laptop",
    });
    const retry = await awsOk(c, keys, [...run, "--instance-type", "nano"]);
    expect(retry.Instances.map((i: any) => i.InstanceId)).toEqual([id]);
    const mismatch = await awsCli(c, keys, [...run, "--instance-type", "small"]);
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toContain("IdempotentParameterMismatch");

    // The waiter polls every 15 s; the paging below runs meanwhile.
    const waiting = awsCli(c, keys, ["wait", "instance-running", "--instance-ids", id]);

    const pagedIds = new Set<string>();
    for (let i = 0; i < PAGED; i += 6)
      await Promise.all(
        Array.from({ length: Math.min(6, PAGED - i) }, () =>
          sdk.send(
            new RunInstancesCommand({
              ImageId: amiId,
              InstanceType: NANO,
              MinCount: 1,
              MaxCount: 1,
              Placement: { AvailabilityZone: FAR },
            }),
          ),
        ),
      );
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await awsOk(c, keys, [
        "describe-instances",
        "--filters",
        `Name=availability-zone,Values=${FAR}`,
        "--max-items",
        "5",
        ...(token ? ["--starting-token", token] : []),
      ]);
      pages++;
      expect(page.Reservations.length).toBeLessThanOrEqual(5);
      for (const r of page.Reservations) for (const inst of r.Instances) pagedIds.add(inst.InstanceId);
      token = page.NextToken;
    } while (token);
    expect([pages, pagedIds.size]).toEqual([5, PAGED]);

    const waited = await waiting;
    expect({ code: waited.code, stderr: waited.stderr }).toEqual({ code: 0, stderr: "" });

    const consoleOutput = await eventually("the guest's readiness line in the console output", async () => {
      const out = await awsOk(c, keys, ["get-console-output", "--instance-id", id]);
      const text = out.Output ?? "";
      return READY.test(text) || READY.test(Buffer.from(text, "base64").toString("utf8")) ? out : undefined;
    });
    expect(consoleOutput.InstanceId).toBe(id);

    await awsOk(c, keys, ["create-tags", "--resources", id, "--tags", "Key=env,Value=prod"]);
    const byTag = await awsOk(c, keys, [
      "describe-instances",
      "--filters",
      "Name=tag:Name,Values=web-1",
      "Name=instance-state-name,Values=running",
    ]);
    expect(byTag.Reservations.flatMap((r: any) => r.Instances.map((i: any) => i.InstanceId))).toEqual([id]);
    expect(byTag.Reservations[0].Instances[0].Tags).toEqual(
      expect.arrayContaining([
        { Key: "Name", Value: "web-1" },
        { Key: "env", Value: "prod" },
      ]),
    );

    const stopped = await awsOk(c, keys, ["stop-instances", "--instance-ids", id]);
    expect(stopped.StoppingInstances[0]).toMatchObject({
      PreviousState: { Code: 16, Name: "running" },
      CurrentState: { Code: 64, Name: "stopping" },
    });
    await reaches(id, "stopped");
    const started = await awsOk(c, keys, ["start-instances", "--instance-ids", id]);
    expect(started.StartingInstances[0]).toMatchObject({
      PreviousState: { Code: 80, Name: "stopped" },
      CurrentState: { Code: 0, Name: "pending" },
    });
    await reaches(id, "running");
    const terminated = await awsOk(c, keys, ["terminate-instances", "--instance-ids", id]);
    expect(terminated.TerminatingInstances[0]).toMatchObject({
      CurrentState: { Code: 32, Name: "shutting-down" },
    });
    await reaches(id, "terminated");

    const wrongSecret = await awsCli(c, { ...keys, secretAccessKey: "0".repeat(40) }, ["describe-instances"]);
    expect(wrongSecret.stderr).toMatch(/AuthFailure|SignatureDoesNotMatch/);
    const lateClock = await awsCli(c, keys, ["describe-instances"], { faketimeOffset: "-16m" });
    expect(lateClock.stderr).toContain("RequestExpired");
    const theirs = await awsCli(c, otherKeys, ["describe-instances", "--instance-ids", id]);
    const nobody = await awsCli(c, otherKeys, [
      "describe-instances",
      "--instance-ids",
      "i-0123456789abcdef0",
    ]);
    expect(theirs.stderr).toContain("InvalidInstanceID.NotFound");
    expect(theirs.stderr.replace(id, "<id>")).toBe(nobody.stderr.replace("i-0123456789abcdef0", "<id>"));
  }, 600_000);

  it("@aws-sdk/client-ec2: the same scenario, without a warning", async () => {
    // The awscli case imported "laptop": delete it and import it again.
    await sdk.send(new DeleteKeyPairCommand({ KeyName: "laptop" }));
    const imported = await sdk.send(
      new ImportKeyPairCommand({
        KeyName: "laptop",
        PublicKeyMaterial: new TextEncoder().encode(TEST_SSH_KEY),
      }),
    );
    expect(imported.KeyName).toBe("laptop");
    const run = {
      ImageId: amiId,
      InstanceType: NANO,
      MinCount: 1,
      MaxCount: 1,
      KeyName: "laptop",
      ClientToken: "sdk-7",
      Placement: { AvailabilityZone: "local" },
      TagSpecifications: [{ ResourceType: "instance" as const, Tags: [{ Key: "Name", Value: "sdk-1" }] }],
    };
    const first = await sdk.send(new RunInstancesCommand(run));
    const id = first.Instances![0]!.InstanceId!;
    expect((await sdk.send(new RunInstancesCommand(run))).Instances?.map((i) => i.InstanceId)).toEqual([id]);
    expect(await codeOf(sdk.send(new RunInstancesCommand({ ...run, InstanceType: SMALL })))).toBe(
      "IdempotentParameterMismatch",
    );
    const waited = await waitUntilInstanceRunning(
      { client: sdk, maxWaitTime: 180, minDelay: 1, maxDelay: 2 },
      { InstanceIds: [id] },
    );
    expect(waited.state).toBe("SUCCESS");
    await eventually("the readiness line through the SDK", async () => {
      const out = await sdk.send(new GetConsoleOutputCommand({ InstanceId: id }));
      return READY.test(Buffer.from(out.Output ?? "", "base64").toString("utf8")) ? true : undefined;
    });
    await sdk.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "env", Value: "sdk" }] }));
    const byTag = await sdk.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "tag:Name", Values: ["sdk-1"] }] }),
    );
    expect(byTag.Reservations?.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([id]);
    const stop = await sdk.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stop.StoppingInstances?.[0]?.CurrentState).toEqual({ Code: 64, Name: "stopping" });
    await reaches(id, "stopped");
    const start = await sdk.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(start.StartingInstances?.[0]?.CurrentState).toEqual({ Code: 0, Name: "pending" });
    await reaches(id, "running");
    const seen = new Set<string>();
    for await (const page of paginateDescribeInstances(
      { client: sdk, pageSize: 5 },
      { Filters: [{ Name: "availability-zone", Values: [FAR] }] },
    ))
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) seen.add(i.InstanceId!);
    expect(seen.size).toBe(PAGED);
    const end = await sdk.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(end.TerminatingInstances?.[0]?.CurrentState).toEqual({ Code: 32, Name: "shutting-down" });
    await reaches(id, "terminated");

    const wrong = ec2Sdk(c, { ...keys, secretAccessKey: "0".repeat(40) });
    expect(await codeOf(wrong.send(new DescribeInstancesCommand({})))).toMatch(
      /AuthFailure|SignatureDoesNotMatch/,
    );
    const late = ec2Sdk(c, keys, { systemClockOffset: -16 * 60_000 });
    expect(await codeOf(late.send(new DescribeInstancesCommand({})))).toBe("RequestExpired");
    const other = ec2Sdk(c, otherKeys, { log });
    expect(await codeOf(other.send(new StopInstancesCommand({ InstanceIds: [id] })))).toBe(
      "InvalidInstanceID.NotFound",
    );
    for (const client of [wrong, late, other]) client.destroy();
    expect(log.warnings).toEqual([]);
  }, 300_000);
});
