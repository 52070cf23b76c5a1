// bench/images: the import pipeline against bare `qemu-img convert`, side by side in one run.
//   npm run bench:images                     (2 GiB of real data, and a 20 GiB raw image of holes)
//   BENCH_DATA_GIB=1 BENCH_HOLES_GIB=10 BENCH_RUNS=3 npm run bench:images
//   BENCH_BUSY=2 npm run bench:images        (the same beside two busy processes: a load average of 2)
// Platform: the import job's pipeline as it runs after an upload (the source digests were
// taken while the bytes arrived, as the upload route does): inspect, `qemu-img info`
// cross-check, pinned convert to qcow2, one sha256+md5 pass over the result, and the move
// into the blob store. Floor: `qemu-img convert -f raw -O qcow2` of the same file.
import { link, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { BlobStore, runImportPipeline } from "@layerboom/controller";
import { checksumFile } from "@layerboom/images";
import { runProgram } from "@layerboom/sys";

const DATA_GIB = Number(process.env["BENCH_DATA_GIB"] ?? 2);
const HOLES_GIB = Number(process.env["BENCH_HOLES_GIB"] ?? 20);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
/** The holes case takes tens of milliseconds, where one scheduling hiccup is a large share: more runs. */
const HOLES_RUNS = Number(process.env["BENCH_HOLES_RUNS"] ?? 9);
/** Busy processes (sha256sum of /dev/zero, one core each) kept running through the measurements. */
const BUSY = Number(process.env["BENCH_BUSY"] ?? 0);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** Starts `count` processes that each keep a core busy until the signal aborts them. */
function busy(count: number, signal: AbortSignal): Promise<unknown>[] {
  return Array.from({ length: count }, () =>
    runProgram("sha256sum", ["/dev/zero"], { signal, timeoutMs: 3_600_000 }).catch(() => undefined),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/** One import as the job runner does it, after an upload: the source is in the job folder with its digests. */
async function platformImport(source: string, sums: string, dir: string): Promise<void> {
  const job = await mkdtemp(join(dir, "job-"));
  const blobs = new BlobStore(join(dir, "blobs"));
  try {
    await link(source, join(job, "source"));
    await writeFile(join(job, "source.sums.json"), sums);
    const out = await runImportPipeline({ name: "bench", source: { kind: "upload" } }, job, () => undefined);
    await blobs.adopt(out.disk, out.diskSha256);
  } finally {
    await rm(job, { recursive: true, force: true });
    await rm(join(dir, "blobs"), { recursive: true, force: true });
  }
}

async function bench(label: string, source: string, bytes: number, dir: string, runs: number): Promise<void> {
  // The digests an upload computes as the bytes arrive; taken once, outside the timings.
  const sums = JSON.stringify(await checksumFile(source));
  const bare: number[] = [];
  const bareHashed: number[] = [];
  const platform: number[] = [];
  const convert = (out: string) =>
    runProgram("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", "-S", "4k", source, out]);
  for (let i = 0; i < runs; i++) {
    const out = join(dir, `bare-${i}.qcow2`);
    bare.push(await timed(() => convert(out)));
    await rm(out, { force: true });
    // The same work with the bare tools: convert, then coreutils' sha256sum of the result.
    bareHashed.push(
      await timed(async () => {
        await convert(out);
        await runProgram("sha256sum", [out], { timeoutMs: 600_000 });
      }),
    );
    await rm(out, { force: true });
    platform.push(await timed(() => platformImport(source, sums, dir)));
  }
  const b = median(bare);
  const bh = median(bareHashed);
  const p = median(platform);
  console.log(
    `${label}: bare qemu-img ${(b / 1000).toFixed(2)} s, platform ${(p / 1000).toFixed(2)} s (medians of ${runs}; load average ${load()})`,
  );
  console.log(
    `  throughput: bare ${(bytes / 1024 ** 2 / (b / 1000)).toFixed(0)} MiB/s, platform ${(bytes / 1024 ** 2 / (p / 1000)).toFixed(0)} MiB/s; ` +
      `platform/bare throughput ${(b / p).toFixed(2)}, time ratio ${(p / b).toFixed(2)}`,
  );
  console.log(
    `  against bare qemu-img + sha256sum of its output (${(bh / 1000).toFixed(2)} s): ` +
      `platform/bare throughput ${(bh / p).toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "lb-bench-images-"));
  const stopBusy = new AbortController();
  const busyProcesses = busy(BUSY, stopBusy.signal);
  console.log(`load average at the start ${load()}${BUSY ? `, with ${BUSY} busy processes` : ""}`);
  try {
    const data = join(dir, "data.raw");
    // Real data: incompressible bytes, written once.
    await runProgram(
      "dd",
      ["if=/dev/urandom", `of=${data}`, "bs=1M", `count=${DATA_GIB * 1024}`, "status=none"],
      {
        timeoutMs: 600_000,
      },
    );
    await bench(`${DATA_GIB} GiB raw of real data → qcow2`, data, DATA_GIB * 1024 ** 3, dir, RUNS);
    await rm(data, { force: true });
    const holes = join(dir, "holes.raw");
    await runProgram("truncate", ["-s", `${HOLES_GIB}G`, holes]);
    await bench(`${HOLES_GIB} GiB raw of holes → qcow2`, holes, HOLES_GIB * 1024 ** 3, dir, HOLES_RUNS);
  } finally {
    stopBusy.abort();
    await Promise.all(busyProcesses);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
