// bench/images capture: a server's disk becoming an image, at 10 GiB of disk with 1 GiB and with
// 2 GiB of data, and at 20 GiB of disk with 1 GiB, side by side in one run. The time should follow
// the data, not the disk's size (issue 15, "The benchmark, restated").
//   tsx --conditions=layerboom-source bench/images/capture.ts
//   BENCH_RUNS=3 tsx --conditions=layerboom-source bench/images/capture.ts
// What runs is what a capture of a stopped server runs, minus the network: the host's copy
// (`qemu-img convert` of the overlay chain, as the agent does), the sha256 the agent announces
// and the one the controller takes on arrival, then the job: inspect and expand to sparse raw
// (`convertImage`), generalise (e2fsck journal replay, debugfs), convert back to qcow2, sha256.
// The disk: an ext4 filesystem (mke2fs -d, no mount) holding that much random data, as the
// base image of an empty qcow2 overlay, as a server's disk is.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { convertOverlayToBackup } from "@layerboom/agent";
import { sha256OfFile } from "@layerboom/controller";
import { convertImage, generalizeRawDisk } from "@layerboom/images";
import { runProgram } from "@layerboom/sys";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 1);
const CASES = [
  { diskGiB: 10, dataGiB: 1 },
  { diskGiB: 10, dataGiB: 2 },
  { diskGiB: 20, dataGiB: 1 },
];

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/** A server's disk: an empty overlay on a base qcow2 holding an ext4 filesystem with `dataGiB` of random files. */
async function serverDisk(dir: string, diskGiB: number, dataGiB: number): Promise<string> {
  const tree = join(dir, "tree");
  await mkdir(join(tree, "etc/ssh"), { recursive: true });
  await mkdir(join(tree, "home/customer"), { recursive: true });
  await runProgram("sh", ["-c", 'echo key > "$1/etc/ssh/ssh_host_ed25519_key"', "sh", tree]);
  for (let i = 0; i < dataGiB * 4; i++)
    await runProgram(
      "dd",
      [
        "if=/dev/urandom",
        `of=${join(tree, "home/customer", `data-${i}`)}`,
        "bs=1M",
        "count=256",
        "status=none",
      ],
      { timeoutMs: 300_000 },
    );
  const raw = join(dir, "base.raw");
  await runProgram("truncate", ["-s", `${diskGiB}G`, raw]);
  await runProgram("mke2fs", ["-q", "-t", "ext4", "-d", tree, raw], { timeoutMs: 600_000 });
  await rm(tree, { recursive: true, force: true });
  const base = join(dir, "base.qcow2");
  await runProgram("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, base], { timeoutMs: 600_000 });
  await rm(raw, { force: true });
  const overlay = join(dir, "disk.qcow2");
  await runProgram("qemu-img", ["create", "-q", "-f", "qcow2", "-b", base, "-F", "qcow2", overlay]);
  return overlay;
}

/** One capture, stage by stage, in milliseconds. */
async function capture(overlay: string, dir: string): Promise<Record<string, number>> {
  const copy = join(dir, "captured.qcow2");
  const raw = join(dir, "generalize.raw");
  const out = join(dir, "out.qcow2");
  const t: Record<string, number> = {};
  t["host copy"] = await timed(() => convertOverlayToBackup(overlay, copy));
  t["sha256 ×2"] = await timed(async () => {
    await sha256OfFile(copy);
    await sha256OfFile(copy);
  });
  t["expand"] = await timed(() =>
    convertImage({ source: copy, sourceFormat: "qcow2", output: raw, outputFormat: "raw" }),
  );
  t["generalise"] = await timed(async () => {
    const result = await generalizeRawDisk(raw);
    if (!result.generalized) throw new Error(`not generalised: ${result.reason}`);
  });
  t["convert"] = await timed(() =>
    convertImage({ source: raw, sourceFormat: "raw", output: out, outputFormat: "qcow2" }),
  );
  t["sha256"] = await timed(() => sha256OfFile(out));
  for (const f of [copy, raw, out]) await rm(f, { force: true });
  t["total"] = Object.values(t).reduce((a, b) => a + b, 0);
  return t;
}

const root = await mkdtemp(join(tmpdir(), "lb-bench-capture-"));
try {
  console.log(`load average at start: ${load()}`);
  const rows: string[] = [];
  let perGiB: number | undefined;
  for (const c of CASES) {
    const dir = await mkdtemp(join(root, "case-"));
    const overlay = await serverDisk(dir, c.diskGiB, c.dataGiB);
    const runs: Record<string, number>[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await capture(overlay, dir));
    const stages = Object.keys(runs[0]!);
    const med = Object.fromEntries(stages.map((s) => [s, median(runs.map((r) => r[s]!))]));
    const seconds = med["total"]! / 1000;
    perGiB ??= seconds / c.dataGiB;
    rows.push(
      `${c.diskGiB} GiB disk, ${c.dataGiB} GiB data: ${seconds.toFixed(1)} s ` +
        `(${(seconds / c.dataGiB).toFixed(1)} s per GiB of data, ${(seconds / c.dataGiB / perGiB).toFixed(2)} of the first case) — ` +
        stages
          .filter((s) => s !== "total")
          .map((s) => `${s} ${(med[s]! / 1000).toFixed(1)} s`)
          .join(", "),
    );
    console.log(rows.at(-1));
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`load average at end: ${load()}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
