import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  convertImage,
  decompressFile,
  extractAmiBundle,
  extractTar,
  inspectAndCheck,
  readOva,
  type ImageLogger,
} from "@layerboom/images";
import { generateHostileCorpus, type HostileFixture } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let root: string;
let canaryPath: string;
let canary: string;
let fixtures: HostileFixture[];
const logs: string[] = [];
const logger: ImageLogger = {
  info: (message, fields) => logs.push(`${message} ${JSON.stringify(fields ?? {})}`),
  warn: (message, fields) => logs.push(`${message} ${JSON.stringify(fields ?? {})}`),
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lb-hostile-"));
  canary = `LAYERBOOM-CANARY-${randomUUID()}`;
  canaryPath = join(root, "host-secret.txt");
  await writeFile(canaryPath, `${canary}\n`);
  fixtures = await generateHostileCorpus(join(root, "corpus"), canaryPath);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Feeds a fixture to the pipeline entry point its kind names; resolves with what it threw. */
async function feed(fixture: HostileFixture, out: string): Promise<unknown> {
  switch (fixture.kind) {
    case "image":
      // The whole pipeline: inspect, qemu-img info, convert. Nothing hostile may reach qemu-img.
      return convertImage(
        {
          source: fixture.path,
          sourceFormat: fixture.declaredFormat,
          output: join(out, "out.qcow2"),
          outputFormat: "qcow2",
        },
        { logger, maxVirtualSize: 64 * 1024 ** 3 },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
    case "archive":
      return extractTar(createReadStream(fixture.path), out).then(
        () => undefined,
        (e: unknown) => e,
      );
    case "decompress":
      return decompressFile(fixture.path, join(out, "out.raw")).then(
        () => undefined,
        (e: unknown) => e,
      );
    case "ova":
      return readOva(fixture.path, out)
        .then(async (pkg) => {
          for (const disk of pkg.disks) await inspectAndCheck(disk.path, { declaredFormat: "vmdk" });
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    case "ami":
      return extractAmiBundle(fixture.path, out, { privateKey: fixture.privateKeyPem! }).then(
        () => undefined,
        (e: unknown) => e,
      );
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

describe("hostile corpus", () => {
  it("has at least 30 fixtures, one rule each", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    expect(new Set(fixtures.map((f) => f.name)).size).toBe(fixtures.length);
  });

  it("rejects every fixture with the named check and never leaks the canary", async () => {
    const results: { name: string; expected: string; got: string }[] = [];
    for (const fixture of fixtures) {
      const out = join(root, "out", fixture.name);
      await mkdir(out, { recursive: true });
      const err = await feed(fixture, out);
      const check =
        (err as { check?: string } | undefined)?.check ??
        (err ? `untyped: ${err instanceof Error ? err.message : "non-error"}` : "accepted");
      results.push({ name: fixture.name, expected: fixture.expectedCheck, got: check });
      const text = err instanceof Error ? `${err.message}\n${err.stack ?? ""}\n${JSON.stringify(err)}` : "";
      expect(text, fixture.name).not.toContain(canary);
      for (const path of await filesUnder(out)) {
        expect((await readFile(path)).includes(canary), `${fixture.name}: ${path}`).toBe(false);
      }
    }
    expect(results.filter((r) => r.expected !== r.got)).toEqual([]);
    expect(logs.join("\n")).not.toContain(canary);
  }, 170_000);
});
