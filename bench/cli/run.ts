// bench/cli: how long one CLI call takes, from process start to exit, beside `node -e ''`
// (the floor no Node.js program beats) measured in the same run.
//   npm run bench:cli
//   BENCH_RUNS=50 npm run bench:cli
// Runs the built CLI (packages/cli/dist/bundle/main.js, as `./layerboom` does) for `--version` and for
// `servers list` against a controller on a scratch embedded database, and `./layerboom
// --version` through the wrapper (which skips `tsc -b` when nothing changed).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootstrapProvider, buildApp, issueLocalCliToken } from "@layerboom/controller";
import { migrate, openDatabase } from "@layerboom/db";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 20);
const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "packages", "cli", "dist", "bundle", "main.js");
/** The same CLI as `tsc` builds it, one file a module: what the bundle saves. */
const unbundled = join(root, "packages", "cli", "dist", "main.js");

/** Wall times of RUNS sequential runs, sorted. Async: the controller answers from this same process. */
async function time(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number[]> {
  const walls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("close", (c) => resolve({ code: c, stderr: err }));
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${stderr}`);
    walls.push(ms);
  }
  return walls.sort((a, b) => a - b);
}

function median(sorted: number[]): number {
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-b"], {
  cwd: root,
  stdio: "inherit",
});
execFileSync(process.execPath, [join(root, "packages", "cli", "bundle.mjs")], {
  cwd: root,
  stdio: "inherit",
});
// The first wrapper call builds and writes its stamp; the timed ones find nothing changed.
execFileSync(join(root, "layerboom"), ["--version"], { cwd: root, stdio: "ignore" });

const dir = mkdtempSync(join(tmpdir(), "layerboom-bench-cli-"));
const database = await openDatabase({ dataDir: join(dir, "db") });
await migrate(database);
const boot = await bootstrapProvider(database, {
  adminEmail: "admin@bench.test",
  adminPassword: "bench password 1234",
});
const app = await buildApp({ database, blobDir: join(dir, "blobs"), logger: false, webRoot: false });
const url = await app.listen({ port: 0, host: "127.0.0.1" });
const token = await issueLocalCliToken(database, boot.firstAdmin?.userId ?? "");
const env = { ...process.env, LAYERBOOM_URL: url, LAYERBOOM_TOKEN: token, LAYERBOOM_CONFIG_DIR: dir };

try {
  const floor = await time(process.execPath, ["-e", ""]);
  const rows = [
    { name: "node -e ''", walls: floor },
    { name: "layerboom --version", walls: await time(process.execPath, [cli, "--version"]) },
    { name: "layerboom servers list", walls: await time(process.execPath, [cli, "servers", "list"], env) },
    { name: "  unbundled --version", walls: await time(process.execPath, [unbundled, "--version"]) },
    {
      name: "  unbundled servers list",
      walls: await time(process.execPath, [unbundled, "servers", "list"], env),
    },
    { name: "./layerboom --version (wrapper)", walls: await time(join(root, "layerboom"), ["--version"]) },
  ];
  const base = median(floor);
  process.stdout.write(`${RUNS} runs each; wall time in ms\n`);
  process.stdout.write(
    `${"command".padEnd(34)} ${"median".padStart(8)} ${"p90".padStart(8)} ${"× floor".padStart(8)}\n`,
  );
  for (const r of rows) {
    const p90 = r.walls[Math.floor(r.walls.length * 0.9)] ?? NaN;
    process.stdout.write(
      `${r.name.padEnd(34)} ${median(r.walls).toFixed(0).padStart(8)} ${p90.toFixed(0).padStart(8)} ${(median(r.walls) / base).toFixed(2).padStart(8)}\n`,
    );
  }
} finally {
  await app.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
