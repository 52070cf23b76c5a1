import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningAgent } from "@layerboom/agent";
import { BlobStore } from "@layerboom/controller";
import { runProgram } from "@layerboom/sys";
import { ensureDebianGuest, makeAmiBundle, packXenStyleImage, unpackRootfs } from "@layerboom/testkit";
import type { DebianGuest } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  eventually,
  hostFolders,
  runCli,
  serverGone,
  serverReaches,
  startTestAgent,
  sweepHost,
  vmFilesOf,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { bootDiskUntil } from "../support/plain-qemu.js";
import { sshRun } from "../support/ssh.js";
import { createTenant } from "../support/tenants.js";

/** systemd's serial getty on ttyS0 prints `<hostname> login:` once the guest is up. */
const LOGIN_PROMPT = /\blogin: /;

/**
 * The manual recipe of the seed blog (unbundle, partition, copy, fix fstab and menu.lst,
 * kernel, root password, boot loader) as one command: a Debian 12 root filesystem made by
 * debootstrap comes in as a directory, a tarball, an EC2 AMI bundle and a Xen-style ext3
 * image, and each becomes an image whose own boot loader boots it.
 *
 * The cases are independent (each imports its own image and boots it), so they run two at a
 * time (`maxConcurrency` of the integration project): a TCG guest keeps one core busy, and this
 * file was the slowest of the suite when its five boots ran one after another.
 */
describe.concurrent("root filesystems imported through the CLI become bootable images", () => {
  let c: TestController;
  let guest: DebianGuest;
  let work: string;
  let provider: ApiClient;
  let blobs: BlobStore;
  let folders: HostFolders | undefined;
  let agent: RunningAgent | undefined;
  let keyDir: string | undefined;

  /** Runs `layerboom images import` and returns the catalog image it made. */
  async function importWithCli(args: string[]): Promise<any> {
    const run = await runCli(c, c.adminToken, ["-o", "json", "images", "import", ...args], {
      timeoutMs: 900_000,
    });
    expect(run.code, run.output).toBe(0);
    const job = JSON.parse(run.output.slice(run.output.indexOf("{")));
    expect(job.state, run.output).toBe("succeeded");
    const image = (await provider.get(`/images/${job.image_id}`)).body;
    expect(image.status).toBe("available");
    return image;
  }

  function bootable(image: any): { from: string; kernel: string; applied: string[] } {
    const step = image.pipeline.find((s: any) => s.step === "make-bootable");
    expect(step, JSON.stringify(image.pipeline)).toBeDefined();
    return step;
  }

  beforeAll(async () => {
    guest = await ensureDebianGuest();
    c = await startTestController("pglite", {
      agents: { heartbeatIntervalMs: 1_000, resyncIntervalMs: 1_000 },
    });
    provider = apiClient(c.url, c.adminToken);
    blobs = new BlobStore(c.blobDir);
    work = await mkdtemp(join(tmpdir(), "lb-rootfs-"));
  }, 1_500_000);

  afterAll(async () => {
    await agent?.stop();
    if (folders) await sweepHost(folders);
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
    await c?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  // The longest case first, so that it never runs alone at the end.
  it("imports the tarball; a server from it accepts an SSH login with the owner's cloud-init key", async () => {
    const image = await importWithCli([
      guest.rootfsTar,
      "--name",
      "debian-12-from-tar",
      "--visibility",
      "public",
    ]);
    expect(bootable(image).from).toBe("tar");

    const siteId = (await provider.get("/sites")).body.items[0].id as string;
    const plan = (await provider.get("/plans")).body.items.find((p: any) => p.name === "small");
    folders = await hostFolders();
    const { hostId, joinToken } = await addHost(provider, siteId, "hv-rootfs");
    agent = await startTestAgent(c, folders, { joinToken });
    await eventually("host up", async () =>
      (await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined,
    );
    const customer = (await createTenant(c, provider, "customer")).api;
    keyDir = await mkdtemp(join(tmpdir(), "lbk-"));
    await runProgram("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keyDir, "id")]);
    const key = await customer.post("/ssh-keys", {
      name: "owner",
      public_key: (await readFile(join(keyDir, "id.pub"), "utf8")).trim(),
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const created = await customer.post("/servers", {
      name: "from-rootfs",
      site_id: siteId,
      plan_id: plan.id,
      image_id: image.id,
      ssh_key_ids: [key.body.id],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const server = await serverReaches(customer, id, "running", 180_000);
    const port = server.addresses.find((a: any) => a.kind === "ssh-forward").port as number;
    const out = await sshRun(port, "root", join(keyDir, "id"), ["hostname; findmnt -no SOURCE /"], 400_000);
    expect(out.split("\n")[0]).toBe("from-rootfs");
    // Root is the first partition of the virtio disk, mounted by the UUID fstab names.
    expect(out.split("\n")[1]).toBe("/dev/vda1");

    await customer.del(`/servers/${id}`);
    await serverGone(customer, id, 120_000);
    expect(await vmFilesOf(folders)).toEqual([]);
  }, 1_500_000);

  it("imports a directory: partitioned, fstab by UUID, extlinux; plain QEMU boots it to a login prompt", async () => {
    const dir = join(work, "rootfs");
    await unpackRootfs(guest.rootfsTar, dir);
    const image = await importWithCli([dir, "--name", "debian-12-from-dir", "--os", "debian"]);
    const made = bootable(image);
    expect(made.from).toBe("tar");
    expect(made.kernel).toBe(guest.kernelRelease);
    expect(made.applied.join("\n")).toMatch(/fstab: root \/dev\/vda → UUID=/);
    expect(made.applied.join("\n")).toMatch(/root password locked/);
    expect(made.applied.join("\n")).toMatch(/installed extlinux/);
    await rm(dir, { recursive: true, force: true });

    const serial = await bootDiskUntil(
      { path: blobs.pathOf(image.sha256), format: "qcow2" },
      LOGIN_PROMPT,
      300_000,
    );
    // The kernel came up from the disk's own boot loader with root by UUID, on the serial console.
    expect(serial).toMatch(/root=UUID=[0-9a-f-]{36}/);
  }, 1_200_000);

  it("imports the Xen-style ext3 image with its menu.lst: the EC2 service is masked and it boots", async () => {
    const ext3 = join(work, "xen-root.ext3");
    const { kernelRelease } = await packXenStyleImage(guest.rootfsTar, ext3);
    const image = await importWithCli([ext3, "--name", "debian-12-xen"]);
    await rm(ext3, { force: true });
    const made = bootable(image);
    expect(made.from).toBe("ext-image");
    const applied = made.applied.join("\n");
    expect(applied).toMatch(/e2fsck/);
    expect(applied).toMatch(/fstab: root \/dev\/xvda1 → UUID=.*disabled \/dev\/xvda3 on swap/);
    expect(applied).toContain(`kept the image's kernel ${kernelRelease}`);
    expect(applied).toContain("the one its menu.lst boots");
    expect(applied).toMatch(/disabled EC2\/Xen-only services: ec2-get-credentials\.service/);
    await bootDiskUntil({ path: blobs.pathOf(image.sha256), format: "qcow2" }, LOGIN_PROMPT, 300_000);
  }, 1_200_000);

  it("replaces a Xen kernel without virtio by Debian's cloud kernel and a busybox initramfs", async () => {
    const dir = join(work, "xen-kernel-only");
    await unpackRootfs(guest.rootfsTar, dir);
    // The image's only kernel is a Xen one (its config has no virtio); its modules are gone too.
    for (const name of await readdir(join(dir, "boot"))) {
      if (/^(vmlinuz|initrd\.img|config|System\.map)-/.test(name)) await rm(join(dir, "boot", name));
    }
    await rm(join(dir, "usr/lib/modules", guest.kernelRelease), { recursive: true, force: true });
    await writeFile(join(dir, "boot/vmlinuz-2.6.18-xen"), Buffer.alloc(4096, 0x90));
    await writeFile(join(dir, "boot/config-2.6.18-xen"), "CONFIG_XEN=y\n# CONFIG_VIRTIO_BLK is not set\n");
    const tar = join(work, "xen-kernel-only.tar");
    await runProgram(
      "tar",
      ["-c", "-f", tar, "-C", dir, "--numeric-owner", "--xattrs", "--exclude=./dev/*", "."],
      {
        timeoutMs: 600_000,
      },
    );
    await rm(dir, { recursive: true, force: true });
    const image = await importWithCli([tar, "--name", "debian-12-xen-kernel"]);
    await rm(tar, { force: true });
    const applied = bootable(image).applied.join("\n");
    expect(applied).toMatch(/installed linux-image-\S+-cloud-amd64 \S+ with a busybox initramfs/);
    expect(applied).toContain("2.6.18-xen (no virtio_blk)");
    await bootDiskUntil({ path: blobs.pathOf(image.sha256), format: "qcow2" }, LOGIN_PROMPT, 300_000);
  }, 1_200_000);

  it("imports an AMI bundle decrypted with the user's key, and refuses a tampered part", async () => {
    const ext3 = join(work, "ami-root.ext3");
    await packXenStyleImage(guest.rootfsTar, ext3);
    const bundle = await makeAmiBundle(join(work, "bundle"), {
      prefix: "debian-12",
      image: { path: ext3 },
    });
    await rm(ext3, { force: true });
    const keyFile = join(work, "pk.pem");
    await writeFile(keyFile, bundle.user.privateKeyPem, { mode: 0o600 });

    const image = await importWithCli([
      bundle.manifestPath,
      "--private-key",
      keyFile,
      "--name",
      "debian-12-ami",
    ]);
    expect(bootable(image).from).toBe("ext-image");
    await bootDiskUntil({ path: blobs.pathOf(image.sha256), format: "qcow2" }, LOGIN_PROMPT, 300_000);

    // One flipped byte in a part: refused before anything reaches the controller.
    const part = bundle.partPaths[0]!;
    const bytes = await readFile(part);
    bytes[100] = bytes[100]! ^ 0xff;
    await writeFile(part, bytes);
    const refused = await runCli(c, c.adminToken, [
      "images",
      "import",
      bundle.manifestPath,
      "--private-key",
      keyFile,
      "--name",
      "debian-12-ami-tampered",
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/ami-part-digest/);
    expect((await provider.get("/images?name=debian-12-ami-tampered")).body.items).toEqual([]);
  }, 1_200_000);
});
