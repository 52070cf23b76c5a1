// bench/provision: the platform's provisioning overhead against the physical floor.
//   npm run bench:provision                 (10 runs of each, interleaved)
//   BENCH_RUNS=20 npm run bench:provision
// Floor: a bare qemu-system-x86_64 with the same kernel, initramfs, overlay, seed, memory and
// devices, timed from spawn to the tiny guest's readiness line on its serial port.
// Platform: POST /api/v1/servers until the same line arrives on the console WebSocket,
// through a real controller (PGlite), a real agent and the QEMU driver.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAgent, writeNocloudSeed, macForServer } from "@layerboom/agent";
import {
  BlobStore,
  bootstrapProvider,
  buildApp,
  catalogImageFromFiles,
  issueLocalCliToken,
  seedDemoCatalog,
} from "@layerboom/controller";
import { migrate, openDatabase } from "@layerboom/db";
import { runProgram } from "@layerboom/sys";
import { ensureTinyGuest, guestImageFiles } from "@layerboom/testkit";
import type { TinyGuest } from "@layerboom/testkit";
import WebSocket from "ws";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 10);
const MEMORY_MIB = 256;
const DISK_BYTES = 2 * 1024 ** 3;

/** Time from spawning QEMU to the readiness line on its serial port, with everything prepared beforehand. */
async function floorRun(guest: TinyGuest, dir: string, n: number): Promise<number> {
  const overlay = join(dir, `floor-${n}.qcow2`);
  const seed = join(dir, `floor-${n}.iso`);
  await runProgram("qemu-img", [
    "create",
    "-q",
    "-f",
    "qcow2",
    "-F",
    guest.diskFormat,
    "-b",
    guest.disk,
    overlay,
    String(DISK_BYTES),
  ]);
  await writeNocloudSeed(
    { instanceId: `floor-${n}`, hostname: `floor-${n}`, macAddress: macForServer(`floor-${n}`) },
    seed,
  );
  const args = [
    "-nodefaults",
    "-no-user-config",
    "-machine",
    "q35",
    "-accel",
    "tcg",
    "-cpu",
    "max",
    "-smp",
    "1",
    "-m",
    String(MEMORY_MIB),
    "-display",
    "none",
    "-serial",
    "stdio",
    "-kernel",
    guest.kernel,
    "-initrd",
    guest.initrd,
    "-append",
    guest.append,
    "-drive",
    `file=${overlay},format=qcow2,if=virtio`,
    "-drive",
    `file=${seed},format=raw,if=virtio,readonly=on`,
    "-netdev",
    "user,id=net0",
    "-device",
    `virtio-net-pci,netdev=net0,mac=${macForServer(`floor-${n}`)}`,
    "-device",
    "virtio-rng-pci",
  ];
  const started = performance.now();
  const qemu = spawn("qemu-system-x86_64", args, { stdio: ["ignore", "pipe", "ignore"] });
  const elapsed = await new Promise<number>((resolve, reject) => {
    let out = "";
    qemu.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (guest.readyPattern.test(out)) resolve(performance.now() - started);
    });
    qemu.on("exit", (code) => reject(new Error(`bare QEMU exited (${code}) before readiness`)));
  });
  qemu.removeAllListeners("exit");
  qemu.kill("SIGKILL");
  await rm(overlay, { force: true });
  await rm(seed, { force: true });
  return elapsed;
}

interface Platform {
  url: string;
  token: string;
  body: Record<string, string>;
  close(): Promise<void>;
}

async function startPlatform(guest: TinyGuest, dir: string): Promise<Platform> {
  const database = await openDatabase({ dataDir: "memory://" });
  await migrate(database);
  const boot = await bootstrapProvider(database, {
    adminEmail: "bench@localhost",
    adminPassword: "a long bench password",
  });
  await seedDemoCatalog(database, "UTC");
  const blobDir = join(dir, "blobs");
  const image = await catalogImageFromFiles(database, new BlobStore(blobDir), {
    name: "tiny",
    ...guestImageFiles(guest),
  });
  const app = await buildApp({ database, blobDir, logger: false });
  const origin = await app.listen({ port: 0, host: "127.0.0.1" });
  const adminToken = await issueLocalCliToken(database, boot.firstAdmin?.userId ?? "");
  const api = async (method: string, path: string, token: string, payload?: unknown) => {
    const res = await fetch(`${origin}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload ? { "content-type": "application/json" } : {}),
      },
      body: payload ? JSON.stringify(payload) : undefined,
    });
    return (await res.json()) as any;
  };
  const site = (await api("GET", "/sites", adminToken)).items[0];
  const plan = (await api("GET", "/plans", adminToken)).items.find((p: any) => p.name === "nano");
  const host = await api("POST", "/hosts", adminToken, { name: "bench", site_id: site.id });
  const agent = await startAgent({
    controllerUrl: origin,
    stateDir: join(dir, "agent"),
    runDir: join(dir, "run"),
    joinToken: host.join_token,
    accelerator: "tcg",
    orphanGraceMs: 0,
  });
  const customer = await api("POST", "/accounts", adminToken, { kind: "customer", name: "bench" });
  await api("POST", "/users", adminToken, {
    email: "c@bench.test",
    role: "customer-admin",
    password: "a long bench password",
    account_id: customer.id,
  });
  const login = await fetch(`${origin}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "c@bench.test", password: "a long bench password" }),
  });
  const token = ((await login.json()) as { token: string }).token;
  return {
    url: origin,
    token,
    body: { site_id: site.id, plan_id: plan.id, image_id: image.id },
    async close() {
      await agent.stop();
      await app.close();
      await database.close();
    },
  };
}

/** From the create request to the readiness line on the API's console stream; then deletes the server (untimed). */
async function platformRun(p: Platform, guest: TinyGuest, n: number): Promise<number> {
  const call = async (method: string, path: string, payload?: unknown) => {
    const res = await fetch(`${p.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${p.token}`,
        ...(payload ? { "content-type": "application/json" } : {}),
      },
      body: payload ? JSON.stringify(payload) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const started = performance.now();
  const created = await call("POST", "/servers", { ...p.body, name: `bench-${n}` });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const id = created.body.id as string;
  const elapsed = await new Promise<number>((resolve, reject) => {
    const attach = () => {
      const ws = new WebSocket(`${p.url.replace("http", "ws")}/api/v1/servers/${id}/console`, {
        headers: { authorization: `Bearer ${p.token}` },
      });
      let out = "";
      let done = false;
      ws.on("message", (d: Buffer) => {
        out += d.toString();
        if (!done && guest.readyPattern.test(out)) {
          done = true;
          resolve(performance.now() - started);
          ws.close();
        }
      });
      // Until QEMU runs there is no console: the stream closes at once; try again shortly.
      ws.on("close", () => {
        if (!done) setTimeout(attach, 20);
      });
      ws.on("error", () => undefined);
    };
    attach();
    setTimeout(() => reject(new Error("no readiness line within 120 s")), 120_000).unref();
  });
  await call("DELETE", `/servers/${id}`);
  for (;;) {
    if ((await call("GET", `/servers/${id}`)).status === 404) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return elapsed;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const guest = await ensureTinyGuest();
const dir = await mkdtemp(join(tmpdir(), "lbb-"));
const platform = await startPlatform(guest, dir);
const floor: number[] = [];
const plat: number[] = [];
try {
  // One warm-up of each (page cache, base image fetched into the host cache), not counted.
  await floorRun(guest, dir, -1);
  await platformRun(platform, guest, -1);
  for (let i = 0; i < RUNS; i++) {
    floor.push(await floorRun(guest, dir, i));
    plat.push(await platformRun(platform, guest, i));
  }
} finally {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
}
const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`\nbench/provision: ${RUNS} runs of each, interleaved, TCG, ${MEMORY_MIB} MiB, tiny guest\n`);
console.log("| | p50 | p95 |");
console.log("| --- | ---: | ---: |");
console.log(
  `| floor: bare qemu-system-x86_64 → readiness line | ${f(percentile(floor, 50))} | ${f(percentile(floor, 95))} |`,
);
console.log(
  `| platform: API create → readiness line on the console stream | ${f(percentile(plat, 50))} | ${f(percentile(plat, 95))} |`,
);
console.log(
  `| ratio platform/floor | ${(percentile(plat, 50) / percentile(floor, 50)).toFixed(2)} | ${(percentile(plat, 95) / percentile(floor, 95)).toFixed(2)} |`,
);
console.log(
  `\nraw floor ms: ${floor.map((x) => x.toFixed(0)).join(" ")}\nraw platform ms: ${plat.map((x) => x.toFixed(0)).join(" ")}`,
);
