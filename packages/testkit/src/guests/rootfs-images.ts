import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runProgram } from "@layerboom/sys";

/** Unpacks a root filesystem tarball the way it was packed: numeric owners, modes, xattrs, holes. */
export async function unpackRootfs(rootfsTar: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  await runProgram(
    "tar",
    [
      "-x",
      "-f",
      rootfsTar,
      "-C",
      into,
      "--same-owner",
      "--same-permissions",
      "--numeric-owner",
      "--xattrs",
      "--xattrs-include=*",
      "--acls",
      "--sparse",
    ],
    { timeoutMs: 15 * 60_000 },
  );
}

/**
 * Packs a root filesystem the way old Xen hosts and EC2 AMIs carried one: a bare ext3
 * filesystem image (no partition table) whose fstab names `/dev/xvda1`, whose GRUB legacy
 * `menu.lst` boots its kernel on the Xen console, and with an EC2-only service enabled.
 */
export async function packXenStyleImage(
  rootfsTar: string,
  output: string,
): Promise<{ kernelRelease: string }> {
  const work = await mkdtemp(join(dirname(output), "xen-style-"));
  const root = join(work, "root");
  try {
    await unpackRootfs(rootfsTar, root);
    const kernel = (await readdir(join(root, "boot"))).find((f) => f.startsWith("vmlinuz-"));
    if (!kernel) throw new Error(`no /boot/vmlinuz-* in ${rootfsTar}`);
    const release = kernel.slice("vmlinuz-".length);
    await writeFile(
      join(root, "etc/fstab"),
      "/dev/xvda1 / ext3 defaults 1 1\n/dev/xvda3 swap swap defaults 0 0\nproc /proc proc defaults 0 0\n",
    );
    await mkdir(join(root, "boot/grub"), { recursive: true });
    await writeFile(
      join(root, "boot/grub/menu.lst"),
      [
        "default 0",
        "timeout 1",
        `title Debian (${release}) on Xen`,
        "  root (hd0,0)",
        `  kernel /boot/vmlinuz-${release} root=/dev/xvda1 ro console=hvc0 xencons=tty`,
        `  initrd /boot/initrd.img-${release}`,
        "",
      ].join("\n"),
    );
    await writeFile(
      join(root, "etc/systemd/system/ec2-get-credentials.service"),
      "[Unit]\nDescription=Fetch EC2 credentials (needs the EC2 metadata service)\n[Service]\nType=oneshot\nExecStart=/bin/false\n[Install]\nWantedBy=multi-user.target\n",
    );
    await mkdir(join(root, "etc/systemd/system/multi-user.target.wants"), { recursive: true });
    await symlink(
      "/etc/systemd/system/ec2-get-credentials.service",
      join(root, "etc/systemd/system/multi-user.target.wants/ec2-get-credentials.service"),
    );
    const { stdout } = await runProgram("du", ["-s", "-B1", root], { timeoutMs: 10 * 60_000 });
    const sizeMiB = Math.ceil((Number(stdout.split(/\s/)[0]) * 1.3) / 1024 ** 2) + 256;
    await runProgram(
      "mke2fs",
      ["-q", "-F", "-t", "ext3", "-L", "xen-root", "-d", root, output, `${sizeMiB}M`],
      {
        timeoutMs: 15 * 60_000,
      },
    );
    return { kernelRelease: release };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
