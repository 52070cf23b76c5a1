import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageRejectedError } from "../errors.js";
import { bufferReader, inspectImage, inspectReader, safetyCheck } from "./index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-inspect-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function qemuCreate(name: string, format: string, size: string, opts: string[] = []): Promise<string> {
  const path = join(dir, name);
  await runProgram("qemu-img", ["create", "-f", format, ...opts, path, size], { timeoutMs: 20_000 });
  return path;
}

async function qemuVirtualSize(path: string, format: string): Promise<number> {
  const { stdout } = await runProgram("qemu-img", ["info", "--output=json", "-f", format, path]);
  return (JSON.parse(stdout) as { "virtual-size": number })["virtual-size"];
}

describe("inspectImage on images made by qemu-img", () => {
  const cases: [string, string, string, string[]][] = [
    ["qcow2", "qcow2", "qcow2", []],
    ["qcow2 v2", "qcow2", "qcow2", ["-o", "compat=0.10"]],
    ["vmdk monolithicSparse", "vmdk", "vmdk", []],
    ["vmdk streamOptimized", "vmdk", "vmdk", ["-o", "subformat=streamOptimized"]],
    ["vdi", "vdi", "vdi", []],
    ["vhd dynamic", "vpc", "vhd", []],
    ["vhd fixed", "vpc", "vhd", ["-o", "subformat=fixed"]],
    ["vhdx", "vhdx", "vhdx", []],
    ["raw", "raw", "raw", []],
  ];
  for (const [label, qemuFormat, expected, opts] of cases) {
    it(`recognises ${label} and passes the safety check`, async () => {
      const path = await qemuCreate(`${label.replace(/\s/g, "-")}.img`, qemuFormat, "64M", opts);
      const info = await inspectImage(path);
      expect(info.format).toBe(expected);
      expect(info.matchedFormats).toEqual([expected]);
      expect(info.failures).toEqual([]);
      const qemuSize = await qemuVirtualSize(path, qemuFormat);
      if (expected === "vhd") expect([info.virtualSize, info.details.chsSize]).toContain(qemuSize);
      else expect(info.virtualSize).toBe(qemuSize);
      expect(() => safetyCheck(info, { declaredFormat: qemuFormat })).not.toThrow();
    });
  }

  it("refuses a qcow2 with a backing file, naming the check", async () => {
    const base = await qemuCreate("base.qcow2", "qcow2", "1M");
    const path = join(dir, "overlay.qcow2");
    await runProgram("qemu-img", ["create", "-f", "qcow2", "-b", base, "-F", "qcow2", path]);
    const info = await inspectImage(path);
    expect(info.details.backingFile).toBe(base);
    expect(() => safetyCheck(info)).toThrow(expect.objectContaining({ check: "qcow2-backing-file" }));
  });

  it("refuses a qcow2 with an external data file", async () => {
    const path = await qemuCreate("df.qcow2", "qcow2", "1M", ["-o", `data_file=${join(dir, "df.raw")}`]);
    const info = await inspectImage(path);
    expect(info.failures.map((f) => f.check)).toEqual(["qcow2-data-file", "qcow2-data-file"]);
    expect(() => safetyCheck(info)).toThrow(expect.objectContaining({ check: "qcow2-data-file" }));
  });

  it("reports an ISO9660 volume as iso, and raw declared is accepted", async () => {
    const iso = Buffer.alloc(64 * 1024);
    iso.write("\x01CD001", 32 * 1024, "latin1");
    const info = await inspectReader(bufferReader(iso));
    expect(info.format).toBe("iso");
    expect(() => safetyCheck(info, { declaredFormat: "raw" })).not.toThrow();
  });

  it("refuses a size above the cap and a declared format that disagrees", async () => {
    const path = await qemuCreate("big.qcow2", "qcow2", "10G");
    const info = await inspectImage(path);
    expect(() => safetyCheck(info, { maxVirtualSize: 1024 ** 3 })).toThrow(ImageRejectedError);
    expect(() => safetyCheck(info, { declaredFormat: "raw" })).toThrow(
      expect.objectContaining({ check: "format-mismatch" }),
    );
  });

  it("sees an MBR on raw", async () => {
    const path = join(dir, "mbr.raw");
    const disk = Buffer.alloc(1024 * 1024);
    disk[446 + 4] = 0x83;
    disk.writeUInt32LE(2048, 446 + 8);
    disk.writeUInt32LE(100, 446 + 12);
    disk[510] = 0x55;
    disk[511] = 0xaa;
    await writeFile(path, disk);
    const info = await inspectImage(path);
    expect(info.format).toBe("raw");
    expect(info.partitionTable?.type).toBe("mbr");
  });
});
