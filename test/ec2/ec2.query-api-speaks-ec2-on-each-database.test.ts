import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeRegionsCommand,
  DescribeTagsCommand,
  ImportKeyPairCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
} from "@aws-sdk/client-ec2";
import type { EC2Client, _InstanceType } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_SSH_KEY, apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { describeOnEachDatabase } from "../support/databases.js";
import { createEc2Credentials, ec2Sdk, signedEc2Post } from "../support/ec2.js";
import type { Ec2Credentials, SdkLog } from "../support/ec2.js";
import { addIdleHost, runCli } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";

/** Our plans are instance types the SDK's enum does not list (it accepts any string on the wire). */
const NANO = "nano" as _InstanceType;
const SMALL = "small" as _InstanceType;

/** The EC2 error code of an SDK failure. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "no error";
  } catch (err) {
    return (err as { name?: string; Code?: string }).Code ?? (err as Error).name;
  }
}

describeOnEachDatabase("the EC2 Query API on %s: wire format, SigV4, idempotency, tenancy", (kind) => {
  let c: TestController;
  let provider: ApiClient;
  let customer: ApiClient;
  let customerToken: string;
  let keys: Ec2Credentials;
  let otherKeys: Ec2Credentials;
  let ec2: EC2Client;
  let other: EC2Client;
  const log: SdkLog = { warnings: [] };
  let imageEc2Id: string;

  beforeAll(async () => {
    c = await startTestController(kind);
    provider = apiClient(c.url, c.adminToken);
    const site = (await provider.get("/sites")).body.items[0];
    await addIdleHost(c, site.id);
    const image = await provider.post("/images", {
      name: "tiny",
      visibility: "public",
      format: "kernel+initrd",
    });
    expect(image.status).toBe(201);
    const a = await createTenant(c, provider, "customer");
    const b = await createTenant(c, provider, "customer");
    customer = a.api;
    customerToken = a.token;
    keys = await createEc2Credentials(a.api);
    otherKeys = await createEc2Credentials(b.api);
    ec2 = ec2Sdk(c, keys, { log });
    other = ec2Sdk(c, otherKeys, { log });
    const images = await ec2.send(new DescribeImagesCommand({}));
    imageEc2Id = images.Images!.find((i) => i.Name === "tiny")!.ImageId!;
  }, 120_000);

  afterAll(async () => {
    ec2?.destroy();
    other?.destroy();
    await c?.close();
  });

  it("describes the region, its zones, instance types and images", async () => {
    const regions = await ec2.send(new DescribeRegionsCommand({}));
    expect(regions.Regions).toEqual([expect.objectContaining({ RegionName: "local-1" })]);
    // The site page shows the region; each site is the zone of its name.
    expect((await customer.get("/sites")).body.items.map((s: any) => [s.name, s.ec2_region])).toEqual([
      ["local", "local-1"],
    ]);
    const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(zones.AvailabilityZones?.map((z) => z.ZoneName)).toContain("local");
    const types = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [NANO] }));
    expect(types.InstanceTypes?.[0]).toMatchObject({
      InstanceType: "nano",
      VCpuInfo: { DefaultVCpus: expect.any(Number) },
      MemoryInfo: { SizeInMiB: expect.any(Number) },
      InstanceStorageInfo: { TotalSizeInGB: expect.any(Number) },
    });
    expect(imageEc2Id).toMatch(/^ami-[0-9a-f]{17}$/);
    const own = await ec2.send(new DescribeImagesCommand({ Owners: ["self"] }));
    expect(own.Images).toEqual([]);
    expect(await codeOf(ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-00000000000000000"] })))).toBe(
      "InvalidAMIID.NotFound",
    );
  });

  it("imports a key pair, runs an instance with a client token, retries it and refuses other parameters", async () => {
    const imported = await ec2.send(
      new ImportKeyPairCommand({
        KeyName: "laptop",
        PublicKeyMaterial: new TextEncoder().encode(TEST_SSH_KEY),
      }),
    );
    expect(imported.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    expect((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs?.map((k) => k.KeyName)).toEqual([
      "laptop",
    ]);
    expect(
      await codeOf(
        ec2.send(
          new ImportKeyPairCommand({
            KeyName: "laptop",
            PublicKeyMaterial: new TextEncoder().encode(TEST_SSH_KEY),
          }),
        ),
      ),
    ).toBe("InvalidKeyPair.Duplicate");

    const run = {
      ImageId: imageEc2Id,
      InstanceType: NANO,
      MinCount: 1,
      MaxCount: 1,
      KeyName: "laptop",
      ClientToken: "build-42",
      TagSpecifications: [{ ResourceType: "instance" as const, Tags: [{ Key: "Name", Value: "web-1" }] }],
    };
    const first = await ec2.send(new RunInstancesCommand(run));
    const instance = first.Instances![0]!;
    expect(instance).toMatchObject({
      InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
      ImageId: imageEc2Id,
      InstanceType: "nano",
      KeyName: "laptop",
      State: { Code: 0, Name: "pending" },
      Placement: { AvailabilityZone: "local" },
      Tags: [{ Key: "Name", Value: "web-1" }],
    });
    const again = await ec2.send(new RunInstancesCommand(run));
    expect(again.ReservationId).toBe(first.ReservationId);
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instance.InstanceId!] }));
    expect(described.Reservations?.[0]?.ReservationId).toBe(first.ReservationId);
    expect(described.Reservations?.[0]?.Instances?.[0]).toMatchObject({
      KeyName: "laptop",
      ClientToken: "build-42",
    });
    expect(again.Instances?.map((i) => i.InstanceId)).toEqual([instance.InstanceId]);
    expect(await codeOf(ec2.send(new RunInstancesCommand({ ...run, InstanceType: SMALL })))).toBe(
      "IdempotentParameterMismatch",
    );
    // The REST API sees the same server, named by its instance id.
    const servers = (await customer.get("/servers")).body.items;
    expect(servers.map((s: any) => s.name)).toEqual([instance.InstanceId]);

    // Tags, and filters on them.
    await ec2.send(
      new CreateTagsCommand({ Resources: [instance.InstanceId!], Tags: [{ Key: "env", Value: "prod" }] }),
    );
    const tagged = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag:Name", Values: ["web-1"] },
          { Name: "tag:env", Values: ["prod"] },
        ],
      }),
    );
    expect(tagged.Reservations?.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([
      instance.InstanceId,
    ]);
    const none = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "tag:Name", Values: ["web-2"] }] }),
    );
    expect(none.Reservations).toEqual([]);
    const tags = await ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [instance.InstanceId!] }] }),
    );
    expect(tags.Tags?.map((t) => `${t.Key}=${t.Value}`)).toEqual(["Name=web-1", "env=prod"]);

    // Another tenant: not found, word for word as an id that does not exist.
    const theirs = await codeOf(
      other.send(new DescribeInstancesCommand({ InstanceIds: [instance.InstanceId!] })),
    );
    const nobody = await codeOf(
      other.send(new DescribeInstancesCommand({ InstanceIds: ["i-00000000000000000"] })),
    );
    expect([theirs, nobody]).toEqual(["InvalidInstanceID.NotFound", "InvalidInstanceID.NotFound"]);
    expect(
      await codeOf(other.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }))),
    ).toBe("InvalidInstanceID.NotFound");
    expect((await other.send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
    expect(
      await codeOf(
        other.send(
          new CreateTagsCommand({ Resources: [instance.InstanceId!], Tags: [{ Key: "x", Value: "y" }] }),
        ),
      ),
    ).toBe("InvalidInstanceID.NotFound");
  });

  it("pages 23 instances five at a time", async () => {
    for (let i = 0; i < 23; i++)
      await ec2.send(
        new RunInstancesCommand({
          ImageId: imageEc2Id,
          InstanceType: NANO,
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "batch", Value: "b" }] }],
        }),
      );
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: "tag:batch", Values: ["b"] }] },
    )) {
      pages++;
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);

    // Without a filter, the plain pages (their SQL is compiled once and shared by every caller):
    // the instances the REST API lists, each once, and none of them for another tenant.
    const plain: string[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {}))
      plain.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    const listed = (await customer.get("/servers?limit=100")).body.items.map((s: any) => s.name);
    expect(plain.length).toBeGreaterThanOrEqual(24);
    expect(new Set(plain).size).toBe(plain.length);
    expect([...plain].sort()).toEqual([...listed].sort());
    for await (const page of paginateDescribeInstances({ client: other, pageSize: 5 }, {}))
      expect(page.Reservations).toEqual([]);

    // Power actions check every instance before changing any: a stopped one refuses a reboot,
    // and the running one named with it is left alone.
    const [a, b] = seen as [string, string];
    const stop = await ec2.send(new StopInstancesCommand({ InstanceIds: [a] }));
    expect(stop.StoppingInstances?.[0]?.CurrentState).toEqual({ Code: 64, Name: "stopping" });
    const rebootSeq = async () =>
      (
        await c.database.db
          .selectFrom("servers")
          .select("reboot_seq")
          .where("ec2_id", "=", b)
          .executeTakeFirstOrThrow()
      ).reboot_seq;
    const before = await rebootSeq();
    expect(await codeOf(ec2.send(new RebootInstancesCommand({ InstanceIds: [b, a] })))).toBe(
      "IncorrectInstanceState",
    );
    expect(await rebootSeq()).toBe(before);
    const ended = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [a] }));
    expect(ended.TerminatingInstances?.[0]).toMatchObject({
      PreviousState: { Code: 64, Name: "stopping" },
      CurrentState: { Code: 32, Name: "shutting-down" },
    });
    expect(await codeOf(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })))).toBe(
      "InvalidParameterValue",
    );
    expect(await codeOf(ec2.send(new DescribeInstancesCommand({ NextToken: "garbage!" })))).toBe(
      "InvalidNextToken",
    );
  });

  it("from the CLI: ec2-credentials create, list, revoke; servers create --user-data, never shown again", async () => {
    const created = await runCli(c, customerToken, [
      "ec2-credentials",
      "create",
      "laptop",
      "--output",
      "json",
    ]);
    expect(created.code, created.output).toBe(0);
    const key = JSON.parse(created.output);
    expect(key).toMatchObject({
      id: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/),
      secret_access_key: expect.any(String),
    });
    const creds = { accessKeyId: key.id, secretAccessKey: key.secret_access_key };
    expect((await signedEc2Post(c, creds, { Action: "DescribeRegions" })).status).toBe(200);
    // Sealed at rest: the secret appears nowhere in its row.
    const row = await c.database.db
      .selectFrom("ec2_access_keys")
      .selectAll()
      .where("id", "=", key.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.secret_access_key);
    const listed = await runCli(c, customerToken, ["ec2-credentials", "list"]);
    expect(listed.output).toContain(key.id);
    expect(listed.output).not.toContain(key.secret_access_key);
    expect((await runCli(c, customerToken, ["ec2-credentials", "revoke", key.id])).code).toBe(0);
    expect((await signedEc2Post(c, creds, { Action: "DescribeRegions" })).body).toContain(
      "<Code>AuthFailure</Code>",
    );

    const script = "#!/bin/sh\necho hello > /root/hello\n";
    const file = join(await mkdtemp(join(tmpdir(), "lb-ud-")), "user-data.sh");
    await writeFile(file, script);
    const server = await runCli(c, customerToken, [
      "servers",
      "create",
      "with-user-data",
      "--plan",
      "nano",
      "--image",
      "tiny",
      "--site",
      "local",
      "--user-data",
      file,
      "--output",
      "json",
    ]);
    expect(server.code, server.output).toBe(0);
    expect(server.output).not.toContain("hello");
    const id = JSON.parse(server.output).id;
    const stored = await c.database.db
      .selectFrom("servers")
      .select("user_data_base64")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(stored.user_data_base64 ?? "", "base64").toString("utf8")).toBe(script);
    const audit = await c.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("resource_id", "=", id)
      .execute();
    expect(JSON.stringify(audit)).not.toContain("hello");
    await writeFile(file, "x".repeat(16 * 1024 + 1));
    const tooBig = await runCli(c, customerToken, [
      "servers",
      "create",
      "too-big",
      "--plan",
      "nano",
      "--image",
      "tiny",
      "--site",
      "local",
      "--user-data",
      file,
    ]);
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.output).toContain("16384");
  });

  it("answers in EC2's XML: unsupported actions, bad signatures, an old clock", async () => {
    const unsupported = await signedEc2Post(c, keys, { Action: "CreateVpc", CidrBlock: "10.0.0.0/16" });
    expect(unsupported.status).toBe(400);
    expect(unsupported.contentType).toMatch(/^text\/xml/);
    expect(unsupported.body).toMatch(
      /^<\?xml[^>]*\?><Response><Errors><Error><Code>UnsupportedOperation<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]+<\/RequestID><\/Response>$/,
    );
    const ok = await signedEc2Post(c, keys, { Action: "DescribeRegions" });
    expect(ok.body).toContain(
      '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>',
    );
    const late = await signedEc2Post(
      c,
      keys,
      { Action: "DescribeRegions" },
      new Date(Date.now() - 16 * 60_000),
    );
    expect(late.body).toContain("<Code>RequestExpired</Code>");
    const wrong = await signedEc2Post(
      c,
      { ...keys, secretAccessKey: "x".repeat(40) },
      { Action: "DescribeRegions" },
    );
    expect([wrong.status, wrong.body.match(/<Code>([^<]+)<\/Code>/)?.[1]]).toEqual([
      403,
      "SignatureDoesNotMatch",
    ]);
    const unknown = await signedEc2Post(
      c,
      { accessKeyId: "AKIAAAAAAAAAAAAAAAAA", secretAccessKey: "x" },
      { Action: "DescribeRegions" },
    );
    expect([unknown.status, unknown.body.match(/<Code>([^<]+)<\/Code>/)?.[1]]).toEqual([401, "AuthFailure"]);
    const unsigned = await fetch(`${new URL(c.url).origin}/ec2`, {
      method: "POST",
      body: "Action=DescribeRegions&Version=2016-11-15",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(await unsigned.text()).toContain("<Code>AuthFailure</Code>");
    // A revoked key stops at once.
    const spare = await createEc2Credentials(customer, "spare");
    expect((await signedEc2Post(c, spare, { Action: "DescribeRegions" })).status).toBe(200);
    expect((await customer.del(`/ec2-credentials/${spare.accessKeyId}`)).status).toBe(200);
    expect((await signedEc2Post(c, spare, { Action: "DescribeRegions" })).body).toContain(
      "<Code>AuthFailure</Code>",
    );
    // An access key carries scopes, as API tokens do: servers:read describes but does not run.
    const narrow = await customer.post("/ec2-credentials", { name: "monitoring", scopes: ["servers:read"] });
    const reader = { accessKeyId: narrow.body.id, secretAccessKey: narrow.body.secret_access_key };
    expect((await signedEc2Post(c, reader, { Action: "DescribeInstances" })).status).toBe(200);
    const refused = await signedEc2Post(c, reader, {
      Action: "RunInstances",
      ImageId: imageEc2Id,
      InstanceType: "nano",
      MinCount: "1",
      MaxCount: "1",
    });
    expect([refused.status, refused.body.match(/<Code>([^<]+)<\/Code>/)?.[1]]).toEqual([
      403,
      "UnauthorizedOperation",
    ]);
    expect(refused.body).toMatch(/it needs (&quot;|")servers(&quot;|")/);
    const dryRun = await signedEc2Post(c, keys, {
      Action: "RunInstances",
      ImageId: imageEc2Id,
      InstanceType: "nano",
      MinCount: "1",
      MaxCount: "1",
      DryRun: "true",
    });
    expect(dryRun.body).toContain("<Code>DryRunOperation</Code>");
    const noCount = await signedEc2Post(c, keys, {
      Action: "RunInstances",
      ImageId: imageEc2Id,
      InstanceType: "nano",
    });
    expect(noCount.body).toContain("<Code>MissingParameter</Code>");
    const malformed = await signedEc2Post(c, keys, { Action: "DescribeInstances", "InstanceId.1": "i-zz" });
    expect(malformed.body).toContain("<Code>InvalidInstanceID.Malformed</Code>");
    const badFilter = await signedEc2Post(c, keys, {
      Action: "DescribeInstances",
      "Filter.1.Name": "vpc-id",
      "Filter.1.Value.1": "x",
    });
    expect(badFilter.body).toMatch(/<Code>InvalidParameterValue<\/Code><Message>[^<]*vpc-id/);
    // The SDK parsed every answer above without a word.
    expect(log.warnings).toEqual([]);
  });
});
