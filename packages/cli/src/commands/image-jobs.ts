import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { WriteStream } from "node:tty";
import type * as CliProgress from "cli-progress";
import type { Command } from "commander";
import { connect, unwrap } from "../api.js";
import type { GlobalFlags } from "../api.js";
import { cliIo } from "../cli-io.js";
import { resolveConnection } from "../config.js";
import { CliError } from "../errors.js";
import { httpFetch } from "../http-fetch.js";
import { all, resolveByName } from "./lookup.js";

/** An image job as the CLI follows it. */
export interface Job {
  id: string;
  state: "queued" | "running" | "succeeded" | "failed";
  stage: string;
  bytes_done: number;
  bytes_total: number | null;
  percent: number;
  image_id: string | null;
  error: { check: string; message: string } | null;
}

const MiB = 1024 * 1024;

/** A bar with bytes, rate and ETA on stderr, or nothing when stderr is not a terminal or JSON is wanted. */
// cli-progress is loaded once at first use, so that commands without a bar do not pay for it.
const require = createRequire(import.meta.url);
function progressBar(enabled: boolean) {
  const { stderr } = cliIo();
  // The bar moves the cursor, which only a real terminal does.
  if (!enabled || !(stderr instanceof WriteStream)) return undefined;
  const cliProgress = require("cli-progress") as typeof CliProgress;
  return new cliProgress.SingleBar(
    {
      stream: stderr,
      format: "{stage} [{bar}] {percentage}% | {doneMiB}/{totalMiB} MiB | {rate} MiB/s | ETA {eta_formatted}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
}

function fields(stage: string, done: number, total: number, startedAt: number) {
  const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
  return {
    stage: stage.padEnd(8),
    doneMiB: (done / MiB).toFixed(1),
    totalMiB: total ? (total / MiB).toFixed(1) : "?",
    rate: (done / MiB / seconds).toFixed(1),
  };
}

/** Follows a job until it ends, drawing its stage and percentage. */
export async function follow(
  api: Awaited<ReturnType<typeof connect>>,
  jobId: string,
  showBar: boolean,
): Promise<Job> {
  const bar = progressBar(showBar);
  let stage = "";
  let stageStart = Date.now();
  bar?.start(100, 0, fields("queued", 0, 0, stageStart));
  try {
    for (;;) {
      const job = unwrap(await api.GET("/image-jobs/{id}", { params: { path: { id: jobId } } })) as Job;
      if (job.stage !== stage) {
        stage = job.stage;
        stageStart = Date.now();
      }
      bar?.update(job.percent, fields(job.stage, job.bytes_done, job.bytes_total ?? 0, stageStart));
      if (job.state === "succeeded" || job.state === "failed") return job;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    bar?.stop();
  }
}

export function registerImageJobCommands(program: Command): void {
  const flags = (cmd: Command) => cmd.optsWithGlobals<GlobalFlags>();
  const images =
    program.commands.find((c) => c.name() === "images") ?? program.command("images").description("Images");

  images
    .command("import <file-or-url>")
    .description(
      "Import a disk image (qcow2, raw, vmdk, vdi, vhd/vhdx, ova; gzip/xz/bzip2 too) from a file or an http(s) URL, " +
        "or a root filesystem (a directory, a tarball, an ext2/3/4 image, an EC2 AMI bundle's manifest.xml) that is made bootable",
    )
    .requiredOption("--name <name>", "the catalog name")
    .option("--visibility <v>", "private (default), subtree, or public (provider admins)")
    .option("--format <f>", "the format you expect; the import fails if the content disagrees")
    .option("--sha256 <hex>", "published checksum of the file, verified before anything else")
    .option("--md5 <hex>", "published md5 (old catalogs), verified too")
    .option("--os <os>", "operating system, for the catalog")
    .option(
      "--private-key <pem>",
      "an AMI bundle's user private key; the bundle is decrypted here, the key never leaves this machine",
    )
    .option(
      "--root-password-hash <hash>",
      "root filesystems: root's crypt(3) hash (default: root's password is locked)",
    )
    .option("--no-wait", "print the job and return at once")
    .action(
      async (
        source: string,
        o: {
          name: string;
          visibility?: string;
          format?: string;
          sha256?: string;
          md5?: string;
          os?: string;
          privateKey?: string;
          rootPasswordHash?: string;
          wait: boolean;
        },
        cmd: Command,
      ) => {
        const json = flags(cmd).output === "json";
        const api = await connect(flags(cmd));
        const query = {
          name: o.name,
          ...(o.visibility ? { visibility: o.visibility } : {}),
          ...(o.format ? { format: o.format } : {}),
          ...(o.sha256 ? { sha256: o.sha256 } : {}),
          ...(o.md5 ? { md5: o.md5 } : {}),
          ...(o.os ? { os: o.os } : {}),
          ...(o.rootPasswordHash ? { root_password_hash: o.rootPasswordHash } : {}),
        };
        let job: Job;
        if (/^https?:\/\//i.test(source)) {
          job = unwrap(await api.POST("/images/imports", { body: { url: source, ...query } as never }));
        } else {
          const local = await localSource(source, o.privateKey, !json);
          try {
            job = await uploadFile(
              flags(cmd),
              local.path,
              local.size,
              { ...query, filename: local.filename },
              !json,
            );
          } finally {
            await local.cleanup();
          }
        }
        if (o.wait) job = await follow(api, job.id, !json);
        if (json) {
          cliIo().stdout.write(`${JSON.stringify(job, null, 2)}\n`);
        } else if (job.state === "succeeded") {
          cliIo().stdout.write(`Imported ${o.name} as image ${job.image_id ?? ""} (job ${job.id}).\n`);
        } else if (job.state === "failed") {
          // handled below
        } else {
          cliIo().stdout.write(
            `Job ${job.id} is ${job.state}; follow it with \`layerboom images job ${job.id}\`.\n`,
          );
        }
        if (job.state === "failed") {
          throw new CliError(`Import failed (${job.error?.check ?? "?"}): ${job.error?.message ?? ""}`);
        }
      },
    );

  images
    .command("export <image>")
    .description(
      "Export an image for VirtualBox (vdi, ova), VMware (vmdk, ova), EC2 import (raw, vmdk) or qcow2",
    )
    .requiredOption("--format <f>", "vdi, vmdk, ova, raw or qcow2")
    .requiredOption("--out <file>", "where to write it (`-o` is the global output format)")
    .action(async (image: string, o: { format: string; out: string }, cmd: Command) => {
      const json = flags(cmd).output === "json";
      const api = await connect(flags(cmd));
      const id = await resolveByName("image", image, () =>
        all((cursor) =>
          api.GET("/images", { params: { query: { name: image, cursor, limit: 200 } } }).then(unwrap),
        ),
      );
      const queued = unwrap(
        await api.POST("/images/{id}/exports", {
          params: { path: { id } },
          body: { format: o.format as never },
        }),
      ) as unknown as Job;
      const job = await follow(api, queued.id, !json);
      if (job.state === "failed")
        throw new CliError(`Export failed (${job.error?.check ?? "?"}): ${job.error?.message ?? ""}`);
      const { url, token } = await resolveConnection(flags(cmd), cliIo().env);
      const res = await httpFetch(new URL(`/api/v1/image-jobs/${job.id}/download`, url), {
        headers: { authorization: `Bearer ${token ?? ""}` },
      });
      if (!res.ok || !res.body) throw new CliError(`Download failed: HTTP ${res.status}`);
      const total = Number(res.headers.get("content-length") ?? 0);
      const bar = progressBar(!json);
      const started = Date.now();
      let done = 0;
      bar?.start(total || 1, 0, fields("download", 0, total, started));
      await pipeline(
        Readable.fromWeb(res.body as never),
        new Transform({
          transform(chunk: Buffer, _e, cb) {
            done += chunk.length;
            bar?.update(done, fields("download", done, total, started));
            cb(null, chunk);
          },
        }),
        createWriteStream(o.out),
      );
      bar?.stop();
      if (json) cliIo().stdout.write(`${JSON.stringify({ ...job, file: o.out, bytes: done }, null, 2)}\n`);
      else cliIo().stdout.write(`Wrote ${o.out} (${(done / MiB).toFixed(1)} MiB, ${o.format}).\n`);
    });

  images
    .command("job <id>")
    .description("Follow an image import or export job")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const json = flags(cmd).output === "json";
      const api = await connect(flags(cmd));
      const job = await follow(api, id, !json);
      cliIo().stdout.write(json ? `${JSON.stringify(job, null, 2)}\n` : `Job ${job.id}: ${job.state}\n`);
      if (job.state === "failed")
        throw new CliError(`(${job.error?.check ?? "?"}): ${job.error?.message ?? ""}`);
    });
}

/** Streams a file to POST /images/uploads with a progress bar; no byte is held in memory. */
/** A file to upload, made from what the user named, and how to remove it when it was made here. */
interface LocalSource {
  path: string;
  size: number;
  filename: string;
  cleanup: () => Promise<void>;
}

/**
 * A file is uploaded as it is. A directory is packed as a root filesystem tarball (numeric
 * owners, xattrs, ACLs, holes; without what the guest mounts itself: /dev, /proc, /sys). An
 * AMI bundle is verified and decrypted here with the user's key, and its image uploaded.
 */
async function localSource(
  source: string,
  privateKey: string | undefined,
  verbose: boolean,
): Promise<LocalSource> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new CliError(`${source} does not exist (give a file, a directory or an http(s) URL).`);
  const scratch = async () => mkdtemp(join(tmpdir(), "layerboom-import-"));
  if (info.isDirectory()) {
    const dir = await scratch();
    const path = join(dir, "rootfs.tar");
    if (verbose) cliIo().stderr.write(`Packing ${source} as a root filesystem tarball...\n`);
    await runTar([
      "-c",
      "-f",
      path,
      "-C",
      source,
      "--numeric-owner",
      "--xattrs",
      "--xattrs-include=*",
      "--acls",
      "--sparse",
      "--one-file-system",
      "--exclude=./dev/*",
      "--exclude=./proc/*",
      "--exclude=./sys/*",
      "--exclude=./run/*",
      ".",
    ]).catch(async (err: Error) => {
      await rm(dir, { recursive: true, force: true });
      throw new CliError(`Cannot pack ${source}: ${err.message}`);
    });
    return {
      path,
      size: (await stat(path)).size,
      filename: `${basename(source)}.tar`,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }
  if (!info.isFile()) throw new CliError(`${source} is not a file or a directory.`);
  if (/\.manifest\.xml$/i.test(source)) {
    if (!privateKey) throw new CliError("An AMI bundle needs --private-key (the key it was bundled for).");
    const key = await readFile(privateKey, "utf8").catch(() => {
      throw new CliError(`Cannot read the private key ${privateKey}.`);
    });
    const dir = await scratch();
    try {
      if (verbose) cliIo().stderr.write("Verifying and decrypting the AMI bundle...\n");
      const { extractAmiBundle } = await import("@layerboom/images");
      const image = await extractAmiBundle(source, dir, { privateKey: key });
      return {
        path: image.imagePath,
        size: image.size,
        filename: image.imageName,
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw new CliError(`The AMI bundle was refused: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { path: source, size: info.size, filename: basename(source), cleanup: async () => undefined };
}

/** Runs GNU tar with an argument array; rejects with its stderr. */
function runTar(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("tar", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()).slice(-4000));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(stderr.trim().split("\n").slice(-3).join("; ") || `tar exited ${code}`)),
    );
  });
}

async function uploadFile(
  flags: GlobalFlags,
  path: string,
  size: number,
  query: Record<string, string>,
  showBar: boolean,
): Promise<Job> {
  const { url, token } = await resolveConnection(flags, cliIo().env);
  const bar = progressBar(showBar);
  const started = Date.now();
  let done = 0;
  bar?.start(size || 1, 0, fields("upload", 0, size, started));
  const body = createReadStream(path).pipe(
    new Transform({
      transform(chunk: Buffer, _e, cb) {
        done += chunk.length;
        bar?.update(done, fields("upload", done, size, started));
        cb(null, chunk);
      },
    }),
  );
  try {
    const res = await httpFetch(
      new URL(`/api/v1/images/uploads?${new URLSearchParams(query).toString()}`, url),
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${token ?? ""}`,
          "content-type": "application/octet-stream",
          "content-length": String(size),
        },
        body: Readable.toWeb(body) as never,
        duplex: "half",
      },
    );
    const parsed = (await res.json().catch(() => ({}))) as Job & { error?: { message?: string } };
    if (res.status !== 202) {
      throw new CliError(
        `Upload refused (HTTP ${res.status}): ${(parsed.error as { message?: string } | undefined)?.message ?? ""}`,
      );
    }
    return parsed;
  } finally {
    bar?.stop();
  }
}
