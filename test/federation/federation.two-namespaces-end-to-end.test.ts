import { PassThrough } from "node:stream";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@layerboom/cli";
import { ensureTinyBootableDisk } from "@layerboom/guests";
import type { TinyBootableDisk } from "@layerboom/guests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, TEST_SSH_KEY, apiClient } from "../support/controller.js";
import type { ApiClient } from "../support/controller.js";
import { startFederatedPair } from "../support/federation-namespaces.js";
import type { AgentProcess, FederatedPair } from "../support/federation-namespaces.js";
import type { ControllerProcess } from "../support/installation-process.js";

/** `layerboom <args>` against one installation, as the holder of `token`. */
async function cli(
  c: ControllerProcess,
  token: string,
  args: string[],
): Promise<{ code: number; output: string }> {
  let output = "";
  const write = (chunk: string | Uint8Array) => {
    output += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  };
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(args, {
    stdout: { write },
    stderr: { write },
    stdin,
    env: {
      ...process.env,
      LAYERBOOM_URL: c.origin,
      LAYERBOOM_TOKEN: token,
      LAYERBOOM_CONFIG_DIR: join(tmpdir(), "lb-cli-none"),
    },
  });
  return { code, output };
}

function json(run: { code: number; output: string }): any {
  expect(run.code, run.output).toBe(0);
  return JSON.parse(run.output.slice(run.output.search(/[[{]/)));
}

/**
 * Issue 17's proof: two independent installations, each in its own network namespace, reachable
 * only over a veth pair (test/support/federation-namespaces.ts). A (Ontario, PGlite) sells B's
 * (Québec, PostgreSQL, a real agent under QEMU) site to its own customer, who drives it through
 * A's CLI and console.
 */
describe("federation between two installations in their own namespaces", () => {
  let pair: FederatedPair;
  let adminA: ApiClient;
  let adminB: ApiClient;
  let tokenA: string;
  let tokenB: string;
  let agentB: AgentProcess;
  let disk: TinyBootableDisk;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    disk = await ensureTinyBootableDisk();
    pair = await startFederatedPair();
    ({ api: adminA, token: tokenA } = await pair.a.admin());
    ({ api: adminB, token: tokenB } = await pair.b.admin());
  }, 300_000);

  afterAll(async () => {
    // The agent first, so its guests go before B's controller does.
    await agentB?.stop();
    await pair?.close();
  }, 120_000);

  it("peers over the pair: B invites, A joins with its CLI, both approve the fingerprints read out", async () => {
    const profileA = json(
      await cli(pair.a, tokenA, [
        "-o",
        "json",
        "federation",
        "profile",
        "--name",
        "Provider A (Ontario)",
        "--public-url",
        pair.peerUrlA,
        "--jurisdiction",
        "CA,CA-ON",
        "--contact",
        "noc@a.test",
      ]),
    );
    const profileB = json(
      await cli(pair.b, tokenB, [
        "-o",
        "json",
        "federation",
        "profile",
        "--name",
        "Provider B (Québec)",
        "--public-url",
        pair.peerUrlB,
        "--jurisdiction",
        "CA,CA-QC",
        "--contact",
        "noc@b.test",
      ]),
    );
    const invite = json(await cli(pair.b, tokenB, ["-o", "json", "federation", "invite"]));
    const joined = json(
      await cli(pair.a, tokenA, ["-o", "json", "federation", "join", pair.peerUrlB, invite.token]),
    );
    ids.peerOfA = joined.id;
    const peersOfB = (await adminB.get("/federation/peers")).body.items;
    expect(peersOfB).toHaveLength(1);
    ids.peerOfB = peersOfB[0].id;
    expect(peersOfB[0].fingerprint).toBe(profileA.fingerprint);
    expect(joined.fingerprint).toBe(profileB.fingerprint);
    json(
      await cli(pair.a, tokenA, [
        "-o",
        "json",
        "federation",
        "approve",
        ids.peerOfA!,
        "--fingerprint",
        profileB.fingerprint,
      ]),
    );
    json(
      await cli(pair.b, tokenB, [
        "-o",
        "json",
        "federation",
        "approve",
        ids.peerOfB!,
        "--fingerprint",
        profileA.fingerprint,
      ]),
    );
    const check = await cli(pair.a, tokenA, ["federation", "check", ids.peerOfA!]);
    expect(check.code, check.output).toBe(0);
  }, 120_000);

  it("B's site, host and agent; B offers its site to A, and A sells it at 25 % over wholesale", async () => {
    const site = await adminB.post("/sites", {
      name: "mtl-1",
      country_code: "CA",
      region_code: "QC",
      jurisdiction: "CA-QC",
      time_zone: "America/Toronto",
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    ids.siteB = site.body.id;
    const plan = await adminB.post("/plans", {
      name: "nano",
      vcpus: 1,
      memory_mib: 256,
      disk_gib: 1,
      transfer_gib: 10,
      hourly_price_minor: 1,
      monthly_cap_minor: 500,
      currency: "CAD",
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    ids.planB = plan.body.id;
    const host = await adminB.post("/hosts", { name: "qc-host-1", site_id: ids.siteB });
    expect(host.status, JSON.stringify(host.body)).toBe(201);
    agentB = await pair.startAgentB(host.body.join_token);
    await expect
      .poll(async () => (await adminB.get(`/hosts/${host.body.host.id}`)).body.state, { timeout: 60_000 })
      .toBe("up");

    json(
      await cli(pair.b, tokenB, [
        "-o",
        "json",
        "federation",
        "offers",
        "define",
        ids.peerOfB!,
        "--currency",
        "CAD",
        "--site",
        ids.siteB!,
        "--plan",
        `${ids.planB}:1000:500000`,
      ]),
    );
    const offers = (await adminA.get("/federation/offers")).body.items;
    expect(offers).toHaveLength(1);
    ids.offerA = offers[0].id;
    json(await cli(pair.a, tokenA, ["-o", "json", "federation", "markup", ids.offerA!, "--percent", "25"]));
    const partner = (await adminA.get("/partner-sites")).body.items;
    expect(partner).toHaveLength(1);
    expect(partner[0].operated_by).toBe("Provider B (Québec)");
    expect(partner[0].plans[0].hourly_price_minor ?? partner[0].plans[0].retail_hourly_minor).toBe(1250);
  }, 180_000);

  it("A's customer imports the tiny disk at A", async () => {
    const account = await adminA.post("/accounts", { kind: "customer", name: "Maple Customer" });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    ids.customerA = account.body.id;
    const user = await adminA.post("/users", {
      email: "owner@maple.test",
      role: "customer-admin",
      password: ADMIN_PASSWORD,
      account_id: ids.customerA,
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const login = await apiClient(pair.a.api).post("/auth/token", {
      email: "owner@maple.test",
      password: ADMIN_PASSWORD,
    });
    ids.customerToken = login.body.token;
    const imported = json(
      await cli(pair.a, ids.customerToken!, [
        "-o",
        "json",
        "images",
        "import",
        disk.path,
        "--name",
        "tiny-disk",
      ]),
    );
    expect(imported.state, JSON.stringify(imported)).toBe("succeeded");
    ids.imageA = imported.image_id;
    const key = await apiClient(pair.a.api, ids.customerToken).post("/ssh-keys", {
      name: "laptop",
      public_key: TEST_SSH_KEY,
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    ids.keyA = key.body.id;
  }, 300_000);
});
