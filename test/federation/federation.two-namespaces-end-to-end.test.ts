import { PassThrough } from "node:stream";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@layerboom/cli";
import { ensureTinyBootableDisk } from "@layerboom/guests";
import { runProgram } from "@layerboom/sys";
import type { TinyBootableDisk } from "@layerboom/guests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
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

/** The QEMU processes running a server (its id is in their command lines). */
async function qemuOf(serverId: string): Promise<string[]> {
  const found = await runProgram("pgrep", ["-f", `qemu-system.*${serverId}`]).catch(() => ({ stdout: "" }));
  return found.stdout.split("\n").filter(Boolean);
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

  /** A's view of the remote server once `test` holds. */
  async function remoteOnA(test: (server: any) => boolean, timeout = 120_000): Promise<any> {
    const api = apiClient(pair.a.api, ids.customerToken);
    let last: any;
    const deadline = Date.now() + timeout;
    for (;;) {
      last = (await api.get(`/remote-servers/${ids.remote}`)).body;
      if (test(last)) return last;
      if (Date.now() > deadline) {
        const atB = ids.remoteOnB ? (await adminB.get(`/servers/${ids.remoteOnB}`)).body : null;
        const audit = async (api: ApiClient) =>
          ((await api.get("/audit-log?limit=30")).body.items ?? []).map(
            (e: any) => `${e.at} ${e.actor_user_id ?? e.actor ?? ""} ${e.action} ${e.resource_id}`,
          );
        console.error(
          `audit A: ${JSON.stringify(await audit(adminA), null, 1)}\naudit B: ${JSON.stringify(await audit(adminB), null, 1)}`,
        );
        throw new Error(
          `A's remote server never got there: ${JSON.stringify(last)}\nat B: ${JSON.stringify(atB)}\nA printed: ${pair.a.output().slice(-3000)}\nB printed: ${pair.b.output().slice(-3000)}\nB's agent: ${agentB.output().slice(-2000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** B's own view of the server it runs for A. */
  async function serverOnB(): Promise<any> {
    const res = await adminB.get(`/servers/${ids.remoteOnB}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  it("A's customer creates at B's site with A's CLI; it boots under QEMU at B, and its readiness line arrives through A's console", async () => {
    const created = json(
      await cli(pair.a, ids.customerToken!, [
        "-o",
        "json",
        "servers",
        "create",
        "maple-1",
        "--site",
        ids.siteB!,
        "--plan",
        "nano",
        "--image",
        "tiny-disk",
        "--ssh-key",
        ids.keyA!,
      ]),
    );
    ids.remote = created.id;
    expect(ids.remote).toMatch(/^rsv_/);
    // Priced by A, at A's retail price: 1000 wholesale + 25 %.
    expect(created.hourly_price_minor ?? created.retail_hourly_minor).toBe(1250);

    const running = await remoteOnA((r) => r.remote_server_id !== null && r.state === "running", 240_000);
    ids.remoteOnB = running.remote_server_id;
    // At B: one server, in the account that represents A, on B's host.
    const onB = await serverOnB();
    expect(onB.observed_state).toBe("running");
    const peerB = (await adminB.get(`/federation/peers/${ids.peerOfB}`)).body;
    const servers = (await adminB.get("/servers")).body.items;
    expect(servers.map((x: any) => x.id)).toEqual([ids.remoteOnB]);
    expect(servers[0].account_id).toBe(peerB.represented_by_account_id ?? servers[0].account_id);

    // The console through A: A relays B's signed WebSocket.
    const url = new URL(`${pair.a.api}/remote-servers/${ids.remote}/console`);
    url.protocol = "ws:";
    const seen = await new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${ids.customerToken}` } });
      let text = "";
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`no readiness line through A; console so far:\n${text.slice(-2000)}`));
      }, 120_000);
      socket.on("message", (d: Buffer) => {
        text += d.toString("utf8");
        if (disk.readyPattern.test(text)) {
          clearTimeout(timer);
          socket.close();
          resolve(text);
        }
      });
      socket.on("unexpected-response", (_req, res) =>
        reject(new Error(`console refused: HTTP ${res.statusCode}`)),
      );
      socket.on("error", reject);
    });
    expect(seen).toMatch(/LAYERBOOM-READY hostname=maple-1/);
  }, 420_000);

  it("stop, start and delete through A's CLI: B's server follows and A mirrors it", async () => {
    json(await cli(pair.a, ids.customerToken!, ["-o", "json", "servers", "stop", ids.remote!]));
    await remoteOnA((r) => r.state === "stopped");
    expect((await serverOnB()).observed_state).toBe("stopped");

    json(await cli(pair.a, ids.customerToken!, ["-o", "json", "servers", "start", ids.remote!]));
    await remoteOnA((r) => r.state === "running");
    expect((await serverOnB()).observed_state).toBe("running");

    const deleted = await cli(pair.a, ids.customerToken!, ["servers", "delete", ids.remote!]);
    expect(deleted.code, deleted.output).toBe(0);
    // Gone from A's customer's view once B has deleted it, and from B's.
    await remoteOnA((r) => r.error?.code === "not_found");
    expect((await adminB.get(`/servers/${ids.remoteOnB}`)).status).toBe(404);
    // Nothing of it is left running at B: its QEMU is gone.
    await expect.poll(() => qemuOf(ids.remoteOnB!), { timeout: 60_000 }).toEqual([]);
  }, 300_000);

  /** Every server B holds for A (the account that represents A), deleted ones left out. */
  async function serversOfAAtB(): Promise<any[]> {
    const account = (await adminB.get(`/federation/peers/${ids.peerOfB}`)).body.represented_by_account_id;
    const items = (await adminB.get(`/servers?limit=200`)).body.items as any[];
    return items.filter((x) => account === undefined || x.account_id === account);
  }

  async function createAtB(name: string): Promise<string> {
    const created = await apiClient(pair.a.api, ids.customerToken).post("/remote-servers", {
      name,
      site_id: ids.siteB,
      plan_id: ids.planB,
      image_id: ids.imageA,
      ssh_key_ids: [ids.keyA],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    return created.body.id as string;
  }

  it("kill -9 of A after B answered its create, then A again: exactly one server, on both sides", async () => {
    await pair.a.stop();
    await pair.a.start("remote-create-answered");
    ids.remote = await createAtB("maple-2");
    // The job calls B, B makes the server and answers, and A dies before it records the answer.
    expect(await pair.a.exited()).toBe("SIGKILL");
    await pair.a.start();
    // Its lease runs out, the job runs again, and the same key answers the same server.
    const running = await remoteOnA((r) => r.remote_server_id !== null && r.state === "running", 240_000);
    const atB = await serversOfAAtB();
    expect(atB.map((x) => x.id)).toEqual([running.remote_server_id]);
    const mine = (await apiClient(pair.a.api, ids.customerToken).get("/remote-servers")).body.items;
    expect(mine.map((x: any) => x.id)).toEqual([ids.remote]);
    expect((await cli(pair.a, ids.customerToken!, ["servers", "delete", ids.remote])).code).toBe(0);
    await remoteOnA((r) => r.error?.code === "not_found");
  }, 420_000);

  it("kill -9 of B inside its create's transaction, then B again: A retries, exactly one server", async () => {
    await pair.b.stop();
    await pair.b.start("served-create-before-commit");
    ids.remote = await createAtB("maple-3");
    expect(await pair.b.exited()).toBe("SIGKILL");
    // Meanwhile A's customer sees a server being made, not an error.
    const waiting = (await apiClient(pair.a.api, ids.customerToken).get(`/remote-servers/${ids.remote}`))
      .body;
    expect(["creating", "unknown"]).toContain(waiting.state);
    await pair.b.start();
    const running = await remoteOnA((r) => r.remote_server_id !== null && r.state === "running", 240_000);
    const atB = await serversOfAAtB();
    expect(atB.map((x) => x.id)).toEqual([running.remote_server_id]);
    expect((await cli(pair.a, ids.customerToken!, ["servers", "delete", ids.remote])).code).toBe(0);
    await remoteOnA((r) => r.error?.code === "not_found");
  }, 420_000);

  it("after a simulated month, B's invoice to A is its records, A's customer's line is them at A's price, and the report agrees", async () => {
    ids.remote = await createAtB("maple-4");
    const running = await remoteOnA((r) => r.remote_server_id !== null && r.state === "running", 240_000);
    // Its usage interval moved back to 20:00Z on 30 November, as the billing tests move theirs.
    await pair.b.inspect((db) =>
      db.db
        .updateTable("usage_intervals")
        .set({ started_at: new Date("2026-11-30T20:00:00Z") })
        .where("server_id", "=", running.remote_server_id)
        .execute(),
    );
    const pushed = await adminB.post(`/federation/peers/${ids.peerOfB}/usage/push`, {
      through: "2026-12-01T05:00:00Z",
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    expect(pushed.body.made).toBeGreaterThanOrEqual(4);
    expect(pushed.body.acked_through).toBe(pushed.body.last_seq);

    const closedB = await adminB.post("/billing/close", { period: "2026-11" });
    expect(closedB.status, JSON.stringify(closedB.body)).toBe(200);
    const represented = (await serversOfAAtB())[0].account_id;
    const toA = closedB.body.issued.find((i: any) => i.account_id === represented);
    const invoiceToA = (await adminB.get(`/invoices/${toA.id}`)).body;
    const usage = invoiceToA.lines.filter((l: any) => l.kind === "usage");
    expect(usage.map((l: any) => l.server_id)).toEqual([running.remote_server_id]);
    const hours = usage[0].amount_minor / 1000;
    expect(Number.isInteger(hours) && hours >= 4).toBe(true);

    const closedA = await adminA.post("/billing/close", { period: "2026-11" });
    expect(closedA.status, JSON.stringify(closedA.body)).toBe(200);
    const mine = closedA.body.issued.find((i: any) => i.account_id === ids.customerA);
    const customerInvoice = (await apiClient(pair.a.api, ids.customerToken).get(`/invoices/${mine.id}`)).body;
    expect(
      customerInvoice.lines
        .filter((l: any) => l.kind === "remote-server")
        .map((l: any) => [l.server_id, l.amount_minor]),
    ).toEqual([[ids.remote, hours * 1250]]);

    const report = json(
      await cli(pair.a, tokenA, [
        "-o",
        "json",
        "federation",
        "reconcile",
        ids.peerOfA!,
        "--month",
        "2026-11",
      ]),
    );
    expect(report).toMatchObject({
      differences: 0,
      totals: { invoiced_minor: hours * 1000, records_minor: hours * 1000, difference_minor: 0 },
    });
  }, 420_000);

  it("B cut off from A for an hour of records, then back: the records fill the gap once", async () => {
    const before = (await adminA.get(`/federation/peers/${ids.peerOfA}/usage`)).body.received;
    await pair.setLinkUp(false);
    try {
      // The next hour's record is made at B and kept, but cannot reach A.
      const lost = await adminB.post(`/federation/peers/${ids.peerOfB}/usage/push`, {
        through: "2026-12-01T06:00:00Z",
      });
      expect(lost.status, JSON.stringify(lost.body)).toBe(200);
      expect(lost.body.made).toBe(1);
      expect(lost.body.push_error).not.toBe("");
      expect(lost.body.acked_through).toBe(before.acked_through);
    } finally {
      await pair.setLinkUp(true);
    }
    // Back: the next run sends what A has not acknowledged, and A holds each number once.
    const again = await adminB.post(`/federation/peers/${ids.peerOfB}/usage/push`, {
      through: "2026-12-01T06:00:00Z",
    });
    expect(again.body).toMatchObject({ made: 0, push_error: "", acked_through: before.acked_through + 1 });
    const after = (await adminA.get(`/federation/peers/${ids.peerOfA}/usage`)).body.received;
    expect(after).toMatchObject({
      records: before.records + 1,
      acked_through: before.acked_through + 1,
      highest_seq: before.acked_through + 1,
      gaps: [],
    });
    // A later run has nothing more to send.
    const repeated = await adminB.post(`/federation/peers/${ids.peerOfB}/usage/push`, {
      through: "2026-12-01T06:00:00Z",
    });
    expect(repeated.body.made).toBe(0);
    expect((await adminA.get(`/federation/peers/${ids.peerOfA}/usage`)).body.received.records).toBe(
      after.records,
    );
  }, 180_000);
});
