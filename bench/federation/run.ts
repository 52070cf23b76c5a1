// bench/federation: a create at a partner's site against a create at a local site (issue 17).
//   npm run bench:federation                 (5 runs of each, interleaved)
//   BENCH_RUNS=10 npm run bench:federation
// Two installations, each a controller process in its own network namespace, reachable from each
// other only over a veth pair (test/support/federation-namespaces.ts): B runs a real agent (TCG).
// Local: B's own customer, POST /api/v1/servers at B's site, until the tiny disk's readiness line
// arrives on B's console WebSocket. Partner: A's customer, POST /api/v1/remote-servers at the same
// site (sold by A), until the same line arrives on A's console WebSocket, relayed from B. Same
// image bytes (the tiny self-booting disk, imported by each customer), same plan, same host.
// The ratio is partner ÷ local, medians; the goal is at most 1.2. The first partner create, which
// also sends the image to B, is reported apart.
import { ensureTinyBootableDisk } from "@layerboom/guests";
import WebSocket from "ws";
import { ADMIN_PASSWORD, TEST_SSH_KEY, apiClient } from "../../test/support/controller.js";
import type { ApiClient } from "../../test/support/controller.js";
import { startFederatedPair } from "../../test/support/federation-namespaces.js";
import type { FederatedPair } from "../../test/support/federation-namespaces.js";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);
const READY = /LAYERBOOM-READY hostname=/;

function must<T = any>(res: { status: number; body: T }, status: number, what: string): T {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Opens `url` (retrying while the server is not on a host yet) and resolves when the readiness
 * line arrives, scrollback included, so nothing printed before the socket opened is missed.
 */
async function readinessOn(url: string, token: string, deadline: number): Promise<void> {
  for (;;) {
    if (Date.now() > deadline) throw new Error(`no readiness line from ${url}`);
    const ready = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
      let seen = "";
      const done = (ok: boolean) => {
        socket.removeAllListeners();
        socket.on("error", () => undefined);
        socket.terminate();
        resolve(ok);
      };
      socket.on("message", (d: Buffer) => {
        seen += d.toString("utf8");
        if (READY.test(seen)) done(true);
      });
      socket.on("close", () => done(false));
      socket.on("unexpected-response", () => done(false));
      socket.on("error", () => done(false));
    });
    if (ready) return;
    await sleep(100);
  }
}

function wsUrl(api: string, path: string): string {
  const url = new URL(`${api}${path}`);
  url.protocol = "ws:";
  return url.toString();
}

async function customerOf(
  c: { api: string },
  admin: ApiClient,
  email: string,
): Promise<{ api: ApiClient; token: string; accountId: string }> {
  const account = must(await admin.post("/accounts", { kind: "customer", name: email }), 201, "account");
  must(
    await admin.post("/users", {
      email,
      role: "customer-admin",
      password: ADMIN_PASSWORD,
      account_id: account.id,
    }),
    201,
    "user",
  );
  const token = must(
    await apiClient(c.api).post("/auth/token", { email, password: ADMIN_PASSWORD }),
    201,
    "login",
  ).token;
  return { api: apiClient(c.api, token), token, accountId: account.id };
}

/** Imports the tiny disk as `customer` (an upload through the normal pipeline) and waits for the image. */
async function importDisk(c: { api: string }, token: string, path: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const res = await fetch(`${c.api}/images/uploads?name=tiny-disk`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: await readFile(path),
  });
  const job = (await res.json()) as any;
  if (res.status >= 300) throw new Error(`import: HTTP ${res.status} ${JSON.stringify(job)}`);
  const api = apiClient(c.api, token);
  for (;;) {
    const now = must(await api.get(`/image-jobs/${job.id}`), 200, "import job");
    if (now.state === "succeeded") return now.image_id as string;
    if (now.state === "failed") throw new Error(`import failed: ${JSON.stringify(now)}`);
    await sleep(250);
  }
}

async function setUp(pair: FederatedPair) {
  const { api: adminA } = await pair.a.admin();
  const { api: adminB } = await pair.b.admin();
  const profileA = must(
    await adminA.patch("/federation/profile", { name: "A", url: pair.peerUrlA, jurisdictions: ["CA"] }),
    200,
    "profile A",
  );
  const profileB = must(
    await adminB.patch("/federation/profile", { name: "B", url: pair.peerUrlB, jurisdictions: ["CA"] }),
    200,
    "profile B",
  );
  const invite = must(await adminB.post("/federation/invitations", {}), 201, "invite");
  const peerOfA = must(
    await adminA.post("/federation/join", { url: pair.peerUrlB, token: invite.token }),
    201,
    "join",
  ).id;
  const peerOfB = must(await adminB.get("/federation/peers"), 200, "peers").items[0].id;
  must(
    await adminA.post(`/federation/peers/${peerOfA}/approve`, { fingerprint: profileB.fingerprint }),
    200,
    "approve A",
  );
  must(
    await adminB.post(`/federation/peers/${peerOfB}/approve`, { fingerprint: profileA.fingerprint }),
    200,
    "approve B",
  );

  const site = must(
    await adminB.post("/sites", {
      name: "mtl-1",
      country_code: "CA",
      region_code: "QC",
      jurisdiction: "CA-QC",
      time_zone: "America/Toronto",
    }),
    201,
    "site",
  );
  const plan = must(
    await adminB.post("/plans", {
      name: "nano",
      vcpus: 1,
      memory_mib: 256,
      disk_gib: 1,
      transfer_gib: 10,
      hourly_price_minor: 1,
      monthly_cap_minor: 500,
      currency: "CAD",
    }),
    201,
    "plan",
  );
  const host = must(await adminB.post("/hosts", { name: "qc-1", site_id: site.id }), 201, "host");
  await pair.startAgentB(host.join_token);
  while (must(await adminB.get(`/hosts/${host.host.id}`), 200, "host").state !== "up") await sleep(250);
  must(
    await adminB.post(`/federation/peers/${peerOfB}/offer`, {
      currency: "CAD",
      site_ids: [site.id],
      plans: [{ plan_id: plan.id, hourly_price_minor: 1000, monthly_cap_minor: 500000 }],
    }),
    201,
    "offer",
  );
  const partnerSite = must(await adminA.get("/partner-sites"), 200, "partner sites").items[0];

  const disk = await ensureTinyBootableDisk();
  const local = await customerOf(pair.b, adminB, "local@b.test");
  const localImage = await importDisk(pair.b, local.token, disk.path);
  const partner = await customerOf(pair.a, adminA, "partner@a.test");
  const partnerImage = await importDisk(pair.a, partner.token, disk.path);
  const key = must(
    await partner.api.post("/ssh-keys", { name: "laptop", public_key: TEST_SSH_KEY }),
    201,
    "key",
  );
  return { site, plan, partnerSite, local, localImage, partner, partnerImage, keyId: key.id as string };
}

async function main(): Promise<void> {
  const pair = await startFederatedPair();
  try {
    const s = await setUp(pair);
    let n = 0;

    async function localRun(): Promise<number> {
      const started = performance.now();
      const server = must(
        await s.local.api.post("/servers", {
          name: `local-${++n}`,
          site_id: s.site.id,
          plan_id: s.plan.id,
          image_id: s.localImage,
        }),
        201,
        "local create",
      );
      await readinessOn(
        wsUrl(pair.b.api, `/servers/${server.id}/console`),
        s.local.token,
        Date.now() + 300_000,
      );
      const ms = performance.now() - started;
      must(await s.local.api.del(`/servers/${server.id}`), 200, "local delete");
      while ((await s.local.api.get(`/servers/${server.id}`)).status !== 404) await sleep(250);
      return ms;
    }

    async function partnerRun(): Promise<number> {
      const started = performance.now();
      const created = await s.partner.api.post("/remote-servers", {
        name: `partner-${++n}`,
        site_id: s.partnerSite.id,
        plan_id: s.partnerSite.plans[0].id,
        image_id: s.partnerImage,
        ssh_key_ids: [s.keyId],
      });
      if (created.status !== 201 && created.status !== 202)
        throw new Error(`partner create: ${JSON.stringify(created.body)}`);
      const id = created.body.id as string;
      await readinessOn(
        wsUrl(pair.a.api, `/remote-servers/${id}/console`),
        s.partner.token,
        Date.now() + 60_000,
      ).catch(async (err: Error) => {
        const row = (await s.partner.api.get(`/remote-servers/${id}`)).body;
        throw new Error(
          `${err.message}: ${JSON.stringify(row)}\nA printed: ${pair.a.output().slice(-1000)}\nB running: ${pair.b.running()}; B printed: ${pair.b.output().slice(-3000)}`,
        );
      });
      const ms = performance.now() - started;
      const deleted = await s.partner.api.del(`/remote-servers/${id}`);
      if (deleted.status >= 300) throw new Error(`partner delete: ${JSON.stringify(deleted.body)}`);
      for (;;) {
        const now = await s.partner.api.get(`/remote-servers/${id}`);
        if (now.status === 404 || now.body.remote_state === "deleted") break;
        await sleep(250);
      }
      return ms;
    }

    const first = await partnerRun();
    console.log(`first partner create (the image travels to B): ${(first / 1000).toFixed(2)} s`);
    const local: number[] = [];
    const partner: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      local.push(await localRun());
      partner.push(await partnerRun());
      console.log(
        `run ${i + 1}: local ${(local.at(-1)! / 1000).toFixed(2)} s, partner ${(partner.at(-1)! / 1000).toFixed(2)} s`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ratio = median(partner) / median(local);
    console.log(
      `median API-to-readiness: local ${(median(local) / 1000).toFixed(2)} s, partner ${(median(partner) / 1000).toFixed(2)} s; ratio ${ratio.toFixed(2)} (goal ≤ 1.2); load ${(await import("node:os")).loadavg()[0]!.toFixed(2)}`,
    );
  } finally {
    await pair.close();
  }
}

await main();
