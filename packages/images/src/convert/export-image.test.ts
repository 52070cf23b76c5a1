import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asList, parseXmlSafely } from "../archive/safe-xml.js";
import { exportImage } from "./export-image.js";

const MiB = 1024 * 1024;
let dir: string;
/** A qcow2 of a 10 000 000-byte disk (not a whole MiB) with an MBR and one bootable partition. */
let disk: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-export-"));
  const raw = join(dir, "disk.raw");
  const fh = await open(raw, "w");
  await fh.truncate(10_000_000);
  await fh.write(randomBytes(MiB), 0, MiB, 2 * MiB);
  await fh.close();
  await runProgram("sfdisk", ["--quiet", raw], { input: "label: dos\nstart=2048, type=83, bootable\n" });
  disk = join(dir, "disk.qcow2");
  await runProgram("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, disk]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a raw export suits EC2 VM Import", () => {
  it("is the whole disk, MBR included, its size rounded up to a whole MiB", async () => {
    const output = join(dir, "ec2.raw");
    const result = await exportImage({ source: disk, sourceFormat: "qcow2", output, format: "raw" });
    expect(result).toMatchObject({ virtualSize: 10 * MiB, partitionTable: "mbr" });
    expect((await stat(output)).size).toBe(10 * MiB);
    const { stdout } = await runProgram("sfdisk", ["--json", output]);
    const table = (
      JSON.parse(stdout) as {
        partitiontable: { label: string; partitions: { start: number; bootable?: boolean }[] };
      }
    ).partitiontable;
    expect(table.label).toBe("dos");
    expect(table.partitions[0]).toMatchObject({ start: 2048, bootable: true });
    const { stdout: info } = await runProgram("qemu-img", ["info", "--output=json", "-f", "raw", output]);
    expect((JSON.parse(info) as { "virtual-size": number })["virtual-size"]).toBe(10 * MiB);
  });
});

describe("an OVA that VirtualBox and VMware can read", () => {
  it("carries the OVF sections they read, file sizes that match, and a manifest whose digests match", async () => {
    const ova = join(dir, "vm.ova");
    const result = await exportImage({
      source: disk,
      sourceFormat: "qcow2",
      output: ova,
      format: "ova",
      ova: { name: "web-1", cpus: 2, memoryMiB: 2048 },
    });
    expect(result.members).toEqual(["web-1.ovf", "web-1-disk1.vmdk", "web-1.mf"]);
    const { stdout: listing } = await runProgram("tar", ["-tf", ova]);
    expect(listing.trim().split("\n")).toEqual(result.members);
    const out = join(dir, "ova-out");
    await mkdir(out);
    await runProgram("tar", ["-xf", ova, "-C", out]);

    const envelope = (
      parseXmlSafely(await readFile(join(out, "web-1.ovf"))) as { Envelope: Record<string, unknown> }
    ).Envelope;
    const file = (envelope.References as { File: Record<string, string> }).File;
    expect(file["@href"]).toBe("web-1-disk1.vmdk");
    expect(Number(file["@size"])).toBe((await stat(join(out, "web-1-disk1.vmdk"))).size);
    const diskEntry = (envelope.DiskSection as { Disk: Record<string, string> }).Disk;
    expect(Number(diskEntry["@capacity"])).toBe(Math.ceil(10_000_000 / 512) * 512);
    expect(diskEntry["@fileRef"]).toBe(file["@id"]);

    const system = envelope.VirtualSystem as Record<string, unknown>;
    expect(system["@id"]).toBe("web-1");
    expect(system.OperatingSystemSection).toMatchObject({ "@id": "101" });
    const items = asList((system.VirtualHardwareSection as { Item: unknown }).Item) as Record<
      string,
      unknown
    >[];
    const byType = (type: number) => items.filter((i) => Number(i["ResourceType"]) === type);
    expect(byType(3)[0]).toMatchObject({ VirtualQuantity: "2" });
    expect(byType(4)[0]).toMatchObject({
      VirtualQuantity: "2048",
      AllocationUnits: "byte * 2^20",
    });
    const controller = byType(6)[0]!;
    const hardDisk = byType(17)[0]!;
    expect(hardDisk["HostResource"]).toBe(`ovf:/disk/${diskEntry["@diskId"]}`);
    expect(hardDisk["Parent"]).toBe(controller["InstanceID"]);

    // The manifest checked with coreutils: every other member listed, every digest right.
    const manifest = (await readFile(join(out, "web-1.mf"), "utf8")).trim().split("\n");
    expect(manifest.map((l) => /^SHA256\((.+)\)= [0-9a-f]{64}$/.exec(l)?.[1])).toEqual([
      "web-1.ovf",
      "web-1-disk1.vmdk",
    ]);
    // The members are the two files named above, read by those names, never by the manifest's text.
    for (const [i, member] of ["web-1.ovf", "web-1-disk1.vmdk"].entries()) {
      const digest = /^SHA256\(.+\)= ([0-9a-f]{64})$/.exec(manifest[i]!)?.[1];
      const { stdout } = await runProgram("sha256sum", [join(out, member)]);
      expect(stdout.split(" ")[0], member).toBe(digest);
    }
    // What goes in as the disk comes back out of the OVA's VMDK.
    const { stdout: compare } = await runProgram("qemu-img", [
      "compare",
      "-f",
      "qcow2",
      "-F",
      "vmdk",
      disk,
      join(out, "web-1-disk1.vmdk"),
    ]);
    expect(compare).toMatch(/identical/);
  });
});
