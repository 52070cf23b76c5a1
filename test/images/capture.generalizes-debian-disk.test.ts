import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRootFilesystem, generalizeRawDisk } from "@layerboom/images";
import { runProgram } from "@layerboom/sys";
import { ensureDebianGuest } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Generalisation of a captured disk (docs/images.md, "Capture"), on the real debootstrapped
// Debian disk the guest tests boot, without booting it: the state a booted instance leaves
// (cloud-init's per-instance folders, host keys, a machine id, a root password) is written into
// a raw copy with debugfs, the copy is generalised, and debugfs reads back what is left.

let dir: string;
let raw: string;

async function debugfs(device: string, commands: string[], writable = false): Promise<string> {
  const { stdout } = await runProgram("debugfs", [...(writable ? ["-w"] : []), "-f", "-", device], {
    input: `${commands.join("\n")}\n`,
  });
  return stdout;
}

async function cat(device: string, path: string): Promise<string> {
  return (await runProgram("debugfs", ["-R", `cat ${path}`, device])).stdout;
}

async function exists(device: string, path: string): Promise<boolean> {
  const out = await runProgram("debugfs", ["-R", `stat ${path}`, device]);
  return out.stdout.includes("Inode:");
}

/** Writes what a booted instance leaves behind, and the customer's own files, into an ext4 filesystem. */
async function bootedState(device: string): Promise<void> {
  const files: Record<string, string> = {
    keep: "the customer's data\n",
    iid: "iid-srv-old\n",
    key: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a real key\n",
    mid: "0123456789abcdef0123456789abcdef\n",
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const shadow = (await cat(device, "/etc/shadow")).replace(/^root:\*:/m, "root:$6$salt$hashhashhash:");
  await writeFile(join(dir, "shadow"), shadow);
  await debugfs(
    device,
    [
      "mkdir /home/customer",
      `write ${join(dir, "keep")} /home/customer/keep.txt`,
      "mkdir /var/lib/cloud",
      "mkdir /var/lib/cloud/instances",
      "mkdir /var/lib/cloud/instances/iid-srv-old",
      "mkdir /var/lib/cloud/instances/iid-srv-old/sem",
      `write ${join(dir, "iid")} /var/lib/cloud/instances/iid-srv-old/sem/config_ssh`,
      `write ${join(dir, "iid")} /var/lib/cloud/instances/iid-srv-old/obj.pkl`,
      "symlink /var/lib/cloud/instance /var/lib/cloud/instances/iid-srv-old",
      "mkdir /var/lib/cloud/data",
      `write ${join(dir, "iid")} /var/lib/cloud/data/instance-id`,
      "mkdir /var/lib/cloud/scripts",
      `write ${join(dir, "iid")} /var/lib/cloud/scripts/keep-me`,
      `write ${join(dir, "key")} /etc/ssh/ssh_host_ed25519_key`,
      `write ${join(dir, "key")} /etc/ssh/ssh_host_ed25519_key.pub`,
      // A hostile host key: a link to the customer's file. rm removes the link, not the file.
      "symlink /etc/ssh/ssh_host_rsa_key /home/customer/keep.txt",
      "rm /etc/machine-id",
      `write ${join(dir, "mid")} /etc/machine-id`,
      "rm /etc/shadow",
      `write ${join(dir, "shadow")} /etc/shadow`,
      "sif /etc/shadow mode 0100640",
      "sif /etc/shadow gid 42",
    ],
    true,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lb-generalize-"));
  raw = join(dir, "disk.raw");
  const guest = await ensureDebianGuest();
  await runProgram("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", "-S", "4k", guest.disk, raw], {
    timeoutMs: 120_000,
  });
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("generalising a captured Debian disk", () => {
  it("removes per-instance state, host keys and the machine id, locks root, and keeps the customer's files", async () => {
    await bootedState(raw);
    expect(await cat(raw, "/home/customer/keep.txt")).toBe("the customer's data\n");
    expect(await exists(raw, "/etc/ssh/ssh_host_ed25519_key")).toBe(true);

    const result = await generalizeRawDisk(raw);
    expect(result).toMatchObject({ generalized: true, filesystem: "ext4" });
    expect(result.partition).toBeUndefined();
    const byStep = Object.fromEntries(result.steps.map((s) => [s.step, s]));
    expect(byStep["cloud-init"]).toMatchObject({ outcome: "done" });
    expect(byStep["cloud-init"]?.paths?.sort()).toEqual([
      "/var/lib/cloud/data",
      "/var/lib/cloud/instance",
      "/var/lib/cloud/instances",
    ]);
    expect(byStep["ssh-host-keys"]).toMatchObject({ outcome: "done" });
    expect(byStep["ssh-host-keys"]?.paths?.sort()).toEqual([
      "/etc/ssh/ssh_host_ed25519_key",
      "/etc/ssh/ssh_host_ed25519_key.pub",
      "/etc/ssh/ssh_host_rsa_key",
    ]);
    expect(byStep["machine-id"]).toMatchObject({ outcome: "done" });
    expect(byStep["root-password"]).toMatchObject({ outcome: "done" });

    for (const gone of [
      "/var/lib/cloud/instance",
      "/var/lib/cloud/instances",
      "/var/lib/cloud/data",
      "/etc/ssh/ssh_host_ed25519_key",
      "/etc/ssh/ssh_host_ed25519_key.pub",
      "/etc/ssh/ssh_host_rsa_key",
    ])
      expect(await exists(raw, gone), gone).toBe(false);
    // What is not per-instance stays: the customer's files, cloud-init's scripts, sshd's config.
    expect(await cat(raw, "/home/customer/keep.txt")).toBe("the customer's data\n");
    expect(await cat(raw, "/var/lib/cloud/scripts/keep-me")).toBe("iid-srv-old\n");
    expect(await exists(raw, "/etc/ssh/sshd_config")).toBe(true);
    expect(await cat(raw, "/etc/machine-id")).toBe("");
    const shadow = await cat(raw, "/etc/shadow");
    expect(shadow).toMatch(/^root:!\$6\$salt\$hashhashhash:/m);
    expect(shadow).toMatch(/^daemon:\*:/m);
    const stat = (await runProgram("debugfs", ["-R", "stat /etc/shadow", raw])).stdout;
    expect(stat).toMatch(/Mode:\s+0640/);
    expect(stat).toMatch(/Group:\s+42/);
    // The filesystem is still sound.
    await runProgram("e2fsck", ["-fn", raw], { timeoutMs: 120_000 });

    // Twice is the same as once: nothing left to do.
    const again = await generalizeRawDisk(raw);
    expect(again.steps.map((s) => [s.step, s.outcome])).toEqual([
      ["cloud-init", "unchanged"],
      ["ssh-host-keys", "unchanged"],
      ["machine-id", "unchanged"],
      ["root-password", "unchanged"],
    ]);
  });

  it("finds an ext4 root in an MBR or GPT partition, and leaves a disk without one as captured", async () => {
    const tree = join(dir, "tree");
    await runProgram("mkdir", ["-p", join(tree, "etc/ssh")]);
    await writeFile(join(tree, "etc/ssh/ssh_host_ecdsa_key"), "key\n");
    await writeFile(join(tree, "etc/machine-id"), "abc\n");
    const disk = join(dir, "partitioned.raw");
    await runProgram("truncate", ["-s", "64M", disk]);
    await runProgram("sfdisk", ["-q", disk], { input: "start=2048, type=83\n" });
    await runProgram("mke2fs", ["-q", "-t", "ext4", "-E", "offset=1048576", "-d", tree, disk, "60M"]);
    expect(await findRootFilesystem(disk)).toEqual({
      found: true,
      filesystem: "ext4",
      offsetBytes: 1_048_576,
      partition: 1,
    });
    const result = await generalizeRawDisk(disk);
    expect(result).toMatchObject({ generalized: true, partition: 1 });
    expect(await exists(`${disk}?offset=1048576`, "/etc/ssh/ssh_host_ecdsa_key")).toBe(false);
    expect(await cat(`${disk}?offset=1048576`, "/etc/machine-id")).toBe("");

    // GPT: the root is the second partition, after an EFI system partition without a filesystem.
    const gpt = join(dir, "gpt.raw");
    await runProgram("truncate", ["-s", "80M", gpt]);
    await runProgram("sfdisk", ["-q", gpt], {
      input: "label: gpt\nstart=2048, size=16384, type=U\nstart=18432, type=L\n",
    });
    await runProgram("mke2fs", ["-q", "-t", "ext4", "-E", `offset=${18432 * 512}`, "-d", tree, gpt, "60M"]);
    const onGpt = await generalizeRawDisk(gpt);
    expect(onGpt).toMatchObject({ generalized: true, filesystem: "ext4", partition: 2 });
    expect(await exists(`${gpt}?offset=${18432 * 512}`, "/etc/ssh/ssh_host_ecdsa_key")).toBe(false);

    const blank = join(dir, "blank.raw");
    await runProgram("truncate", ["-s", "16M", blank]);
    const none = await generalizeRawDisk(blank);
    expect(none.generalized).toBe(false);
    expect(none.reason).toMatch(/only ext2\/3\/4 are generalised/);
    expect(none.steps).toEqual([]);

    // A crafted superblock (the ext magic over random bytes) is reported, never edited.
    const crafted = join(dir, "crafted.raw");
    await runProgram("dd", ["if=/dev/urandom", `of=${crafted}`, "bs=64K", "count=16", "status=none"]);
    const fh = await open(crafted, "r+");
    await fh.write(Buffer.from([0x53, 0xef]), 0, 2, 1080);
    await fh.close();
    const refused = await generalizeRawDisk(crafted);
    expect(refused.generalized).toBe(false);
    expect(refused.reason).toMatch(/ext\d without \/etc/);
  });
});
