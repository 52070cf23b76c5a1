import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveRejectedError } from "../errors.js";
import { extractImageMember } from "./extract-image-member.js";
import { parsePaxRecords } from "./tar-header.js";

const MiB = 1024 * 1024;
let dir: string;
let source: string;
let expected: Buffer;
let outCount = 0;
/** libarchive's bsdtar is not on every machine (Debian's libarchive-tools). */
const hasBsdtar = await runProgram("bsdtar", ["--version"]).then(
  () => true,
  () => false,
);

/** GNU tar's layouts, by the arguments that make them. */
const FORMATS = {
  gnu: ["--format=gnu"],
  "pax-0.0": ["--format=pax", "--sparse-version=0.0"],
  "pax-0.1": ["--format=pax", "--sparse-version=0.1"],
  "pax-1.0": ["--format=pax", "--sparse-version=1.0"],
} as const;

async function gnuTar(format: keyof typeof FORMATS, file = "disk.img"): Promise<Buffer> {
  const out = join(dir, `${format}-${file}.tar`);
  await runProgram("tar", ["-c", "-S", ...FORMATS[format], "-f", out, "-C", dir, "--", file]);
  return readFile(out);
}

async function extract(tar: Buffer, maxMemberBytes = 64 * MiB) {
  const out = join(dir, `out-${outCount++}`);
  await mkdir(out);
  const result = await extractImageMember([tar], out, { maxMemberBytes });
  return { ...result, out };
}

async function refusal(tar: Buffer): Promise<ArchiveRejectedError> {
  const err = await extract(tar).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ArchiveRejectedError);
  return err as ArchiveRejectedError;
}

function setChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += block[i]!;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
}

function octal(value: number, width: number): Buffer {
  return Buffer.from(`${value.toString(8).padStart(width - 1, "0")}\0`, "latin1");
}

/** Rewrites the PAX header that opens `tar` with `edit` applied to its records. */
function editPax(tar: Buffer, edit: (records: [string, string][]) => [string, string][]): Buffer {
  const size = parseInt(tar.subarray(124, 136).toString("latin1"), 8);
  const records = edit(parsePaxRecords(tar.subarray(512, 512 + size)));
  const body = Buffer.concat(
    records.map(([k, v]) => {
      const text = ` ${k}=${v}\n`;
      let length = Buffer.byteLength(text) + 1;
      while (String(length).length + Buffer.byteLength(text) !== length) length++;
      return Buffer.from(`${length}${text}`);
    }),
  );
  const header = Buffer.from(tar.subarray(0, 512));
  octal(body.length, 12).copy(header, 124);
  setChecksum(header);
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([header, padded, tar.subarray(512 + Math.ceil(size / 512) * 512)]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-sparse-tar-"));
  source = join(dir, "disk.img");
  // 10 MiB with data at 1 MiB, an odd-sized run near 5 MB and a last byte at the very end.
  const fh = await open(source, "w");
  await fh.truncate(10 * MiB);
  await fh.write(Buffer.alloc(8192, 0x5a), 0, 8192, MiB);
  await fh.write(Buffer.from("not block aligned"), 0, 17, 5_000_003);
  await fh.write(Buffer.from([1]), 0, 1, 10 * MiB - 1);
  await fh.close();
  expected = await readFile(source);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("GNU tar's sparse forms, as GNU tar writes them", () => {
  for (const format of Object.keys(FORMATS) as (keyof typeof FORMATS)[]) {
    it(`${format}: restores the file byte for byte and keeps its holes`, async () => {
      const tar = await gnuTar(format);
      expect(tar.length).toBeLessThan(MiB);
      const { file, members, out } = await extract(tar);
      expect(members).toBe(1);
      expect(file).toMatchObject({
        name: "disk.img",
        size: 10 * MiB,
        sparseForm: format === "gnu" ? "gnu-old" : format,
      });
      expect(file!.storedBytes).toBeLessThan(64 * 1024);
      expect((await readFile(file!.path)).equals(expected)).toBe(true);
      expect((await stat(file!.path)).blocks * 512).toBeLessThanOrEqual(256 * 1024);
      // One file, under a name of our own: the archive's name is reported (above), never a path.
      expect(await readdir(out)).toEqual(["image-member"]);
    });
  }

  it.skipIf(!hasBsdtar)("bsdtar's sparse pax (GNU.sparse 1.0, as libarchive writes it)", async () => {
    const out = join(dir, "bsdtar.tar");
    await runProgram("bsdtar", ["-c", "-S", "--format=pax", "-f", out, "-C", dir, "disk.img"]);
    const { file } = await extract(await readFile(out));
    expect(file).toMatchObject({ name: "disk.img", size: 10 * MiB, sparseForm: "pax-1.0" });
    expect((await readFile(file!.path)).equals(expected)).toBe(true);
  });

  it("reads an old GNU map that needs extension headers (more than four regions)", async () => {
    const many = join(dir, "many.img");
    const fh = await open(many, "w");
    await fh.truncate(64 * MiB);
    for (let i = 0; i < 40; i++) {
      const text = Buffer.from(`region ${i}`);
      await fh.write(text, 0, text.length, i * MiB + 4096 * i);
    }
    await fh.close();
    const tar = await gnuTar("gnu", "many.img");
    expect(tar[482]).toBe(1);
    const { file } = await extract(tar);
    expect((await readFile(file!.path)).equals(await readFile(many))).toBe(true);
  });

  it("reads a plain member and the base-256 size GNU tar uses past 8 GiB", async () => {
    const plain = join(dir, "plain.img");
    await writeFile(plain, Buffer.alloc(3000, 9));
    const tar = Buffer.from(await gnuTar("gnu", "plain.img"));
    const { file } = await extract(tar);
    expect(file).toMatchObject({ size: 3000, sparseForm: undefined });
    const header = tar.subarray(0, 512);
    header.fill(0, 124, 136);
    header[124] = 0x80;
    header.writeUInt16BE(3000, 134);
    setChecksum(header);
    expect((await extract(tar)).file).toMatchObject({ size: 3000 });
  });
});

describe("hostile sparse maps are refused, naming what is wrong", () => {
  it("old GNU: regions out of order", async () => {
    const tar = Buffer.from(await gnuTar("gnu"));
    const first = Buffer.from(tar.subarray(386, 410));
    tar.subarray(410, 434).copy(tar, 386);
    first.copy(tar, 410);
    setChecksum(tar.subarray(0, 512));
    const err = await refusal(tar);
    expect(err.check).toBe("archive-sparse-map");
    expect(err.message).toMatch(/region 1 at \d+ overlaps or comes before the previous one/);
  });

  it("old GNU: a region beyond the real size", async () => {
    const tar = Buffer.from(await gnuTar("gnu"));
    octal(4 * MiB, 12).copy(tar, 483);
    setChecksum(tar.subarray(0, 512));
    const err = await refusal(tar);
    expect(err.check).toBe("archive-sparse-map");
    expect(err.message).toMatch(/ends at \d+, past the real size 4194304/);
  });

  it("old GNU: a map that claims more data than the member holds", async () => {
    const tar = Buffer.from(await gnuTar("gnu"));
    octal(16384, 12).copy(tar, 386 + 12);
    setChecksum(tar.subarray(0, 512));
    const err = await refusal(tar);
    expect(err.check).toBe("archive-sparse-map");
    expect(err.message).toMatch(/the map claims \d+ bytes of data, the member holds only \d+/);
  });

  it("PAX 0.0: an absurd region count, and a count that disagrees with the map", async () => {
    const tar = await gnuTar("pax-0.0");
    const absurd = editPax(tar, (r) =>
      r.map(([k, v]) => [k, k === "GNU.sparse.numblocks" ? "999999999999" : v] as [string, string]),
    );
    expect((await refusal(absurd)).message).toMatch(/999999999999 regions, more than the 1048576 accepted/);
    const wrong = editPax(tar, (r) =>
      r.map(([k, v]) => [k, k === "GNU.sparse.numblocks" ? "7" : v] as [string, string]),
    );
    expect((await refusal(wrong)).message).toMatch(/GNU.sparse.numblocks says 7 regions, the map lists \d+/);
  });

  it("PAX 0.1: overlapping regions and numbers that are not numbers", async () => {
    const tar = await gnuTar("pax-0.1");
    const map = (edit: (n: string[]) => string[]) =>
      editPax(tar, (r) =>
        r.map(([k, v]) => [k, k === "GNU.sparse.map" ? edit(v.split(",")).join(",") : v] as [string, string]),
      );
    const overlap = await refusal(map((n) => [n[0]!, n[1]!, String(Number(n[0]) + 1), ...n.slice(3)]));
    expect(overlap.message).toMatch(/region 1 at \d+ overlaps/);
    expect((await refusal(map((n) => ["-1", ...n.slice(1)]))).message).toMatch(
      /offset 0 "-1" is not a number/,
    );
  });

  it("PAX 1.0: an absurd count, and a map that runs past the member's data", async () => {
    const tar = Buffer.from(await gnuTar("pax-1.0"));
    const mapAt = tar.indexOf(Buffer.from("4\n1048576\n"));
    expect(mapAt % 512).toBe(0);
    const withMap = (text: string) => {
      const copy = Buffer.from(tar);
      copy.fill(0, mapAt, mapAt + 512);
      copy.write(text, mapAt, "latin1");
      return copy;
    };
    expect((await refusal(withMap("99999999999\n"))).message).toMatch(/more than the 1048576 accepted/);
    expect((await refusal(withMap("1\n0\n99999999\n"))).message).toMatch(
      /ends at 99999999, past the real size|claims 99999999 bytes/,
    );
    const header = tar.lastIndexOf(Buffer.from("./GNUSparseFile."), mapAt);
    const member = Buffer.from(tar);
    octal(512, 12).copy(member, header + 124);
    setChecksum(member.subarray(header, header + 512));
    member.fill(0, mapAt, mapAt + 512);
    member.write("3\n0\n512\n", mapAt, "latin1");
    expect((await refusal(member)).message).toMatch(/the map runs past the member's data/);
  });

  it("an unknown sparse version and a broken header checksum", async () => {
    const tar = await gnuTar("pax-1.0");
    const v2 = editPax(tar, (r) =>
      r.map(([k, v]) => [k, k === "GNU.sparse.major" ? "2" : v] as [string, string]),
    );
    expect((await refusal(v2)).message).toMatch(/GNU sparse version "2.0" is not one tar writes/);
    const broken = Buffer.from(tar);
    broken[0] = broken[0]! ^ 1;
    const err = await refusal(broken);
    expect(err.check).toBe("archive-malformed");
    expect(err.message).toMatch(/checksum/);
  });

  it("leaves nothing behind when the data is cut short", async () => {
    const tar = await gnuTar("gnu");
    const out = join(dir, "cut");
    await mkdir(out);
    const err = await extractImageMember([tar.subarray(0, 512 + 4096)], out, {
      maxMemberBytes: 64 * MiB,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ check: "archive-malformed" });
    expect(await readdir(out)).toEqual([]);
  });

  it("streams from a file: chunks of any size give the same file", async () => {
    const path = join(dir, "stream.tar");
    await writeFile(path, await gnuTar("pax-1.0"));
    const out = join(dir, "stream-out");
    await mkdir(out);
    const { file } = await extractImageMember(createReadStream(path, { highWaterMark: 777 }), out, {
      maxMemberBytes: 64 * MiB,
    });
    expect((await readFile(file!.path)).equals(expected)).toBe(true);
  });
});
