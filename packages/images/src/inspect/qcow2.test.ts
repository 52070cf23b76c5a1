import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectImage } from "./index.js";

let dir: string;
let count = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-qcow2-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function qemuImg(...args: string[]): Promise<void> {
  await runProgram("qemu-img", args, { timeoutMs: 30_000 });
}

async function create(size: string, ...opts: string[]): Promise<string> {
  const path = join(dir, `image-${count++}.qcow2`);
  await qemuImg("create", "-q", "-f", "qcow2", ...opts, path, size);
  return path;
}

async function patched(path: string, edit: (file: Buffer) => void): Promise<string> {
  const file = await readFile(path);
  edit(file);
  const out = join(dir, `patched-${count++}.qcow2`);
  await writeFile(out, file);
  return out;
}

const checks = async (path: string) => (await inspectImage(path)).failures.map((f) => f.check);

describe("qcow2 tables and header extensions", () => {
  it("passes what qemu-img writes: cluster sizes, large and shrunk disks, snapshots, data, v2", async () => {
    const images = [
      await create("64M", "-o", "cluster_size=512"),
      await create("1T", "-o", "cluster_size=2M"),
      await create("512G"),
      await create("1G", "-o", "compat=0.10"),
      await create("1G", "-o", "refcount_bits=1"),
      await create("1G", "-o", "refcount_bits=64"),
    ];
    const shrunk = await create("100G");
    await qemuImg("resize", "-q", "-f", "qcow2", "--shrink", shrunk, "1G");
    const snapshotted = await create("64M");
    await qemuImg(
      "snapshot",
      "-q",
      "--image-opts",
      "-c",
      "first",
      `driver=qcow2,file.filename=${snapshotted}`,
    );
    const written = join(dir, "written.qcow2");
    const raw = join(dir, "data.raw");
    await writeFile(raw, Buffer.alloc(8 * 1024 * 1024, 0x5a));
    await qemuImg("convert", "-q", "-f", "raw", "-O", "qcow2", "-o", "cluster_size=4096", raw, written);
    for (const path of [...images, shrunk, snapshotted, written])
      expect(await checks(path), path).toEqual([]);
  });

  it("names LUKS and AES encryption", async () => {
    const aes = await patched(await create("64M"), (f) => f.writeUInt32BE(1, 32));
    const info = await inspectImage(aes);
    expect(info.failures).toEqual([
      { check: "qcow2-encrypted", detail: "crypt_method 1 (AES): encrypted images are not accepted" },
    ]);
  });

  it("refuses L1 and refcount tables far beyond what the virtual size needs", async () => {
    const l1 = await patched(await create("1G"), (f) => f.writeUInt32BE(4 * 1024 * 1024, 36));
    const info = await inspectImage(l1);
    expect(info.failures[0]?.check).toBe("qcow2-l1-table");
    expect(info.failures[0]?.detail).toMatch(
      /l1_size 4194304 is far beyond what the virtual size needs \(2 entries/,
    );
    const outside = await patched(await create("64G"), (f) => f.writeBigUInt64BE(1n << 40n, 40));
    expect(await checks(outside)).toEqual(["qcow2-l1-table"]);
    const refcount = await patched(await create("1G"), (f) => f.writeUInt32BE(128, 56));
    expect(await checks(refcount)).toEqual(["qcow2-refcount-table"]);
  });

  it("refuses oversized or endless header extensions, in v2 images too", async () => {
    const table = await patched(await create("1G"), (f) => f.writeUInt32BE(48 * 1300, 0x70 + 4));
    const info = await inspectImage(table);
    expect(info.failures).toEqual([
      {
        check: "qcow2-header-extension",
        detail: "header extension 0x6803f857 is 62400 bytes, more than the 4096 accepted",
      },
    ]);
    const v2 = await patched(await create("1G", "-o", "compat=0.10"), (f) => {
      f.writeUInt32BE(0x12345678, 72);
      f.writeUInt32BE(100_000, 76);
    });
    expect(await checks(v2)).toEqual(["qcow2-header-extension"]);
    const endless = await patched(await create("1G"), (f) => {
      for (let at = 0x70; at + 16 <= 65536; at += 16) {
        f.writeUInt32BE(0x1000 + at, at);
        f.writeUInt32BE(8, at + 4);
      }
    });
    expect((await inspectImage(endless)).failures[0]?.detail).toBe("more than 16 header extensions");
  });
});
