import { describe, expect, it } from "vitest";
import {
  extlinuxConfig,
  keptKernelArgs,
  newestFirst,
  parseMenuLst,
  rewriteFstab,
  rewriteInittab,
  setRootPassword,
} from "./guest-config.js";

const UUID = "0b7c7a4e-6a43-4b8e-9d64-3f0f5c2b9a11";

describe("rewriteFstab", () => {
  it("mounts root by UUID and comments out other Xen/EC2 device names", () => {
    const out = rewriteFstab(
      [
        "# <fs> <mount> <type>",
        "/dev/xvda1 / ext3 defaults 1 1",
        "/dev/sdb /mnt ext3 defaults 0 0",
        "/dev/xvda3 swap swap defaults 0 0",
        "proc /proc proc defaults 0 0",
        "LABEL=data /data ext4 defaults 0 2",
      ].join("\n"),
      UUID,
    );
    expect(out.text.split("\n")).toEqual([
      "# <fs> <mount> <type>",
      `UUID=${UUID} / ext4 defaults,errors=remount-ro 0 1`,
      "# layerboom: /dev/sdb /mnt ext3 defaults 0 0  (a Xen/EC2 device name; attach extra disks by UUID or LABEL)",
      "# layerboom: /dev/xvda3 swap swap defaults 0 0  (a Xen/EC2 device name; attach extra disks by UUID or LABEL)",
      "proc /proc proc defaults 0 0",
      "LABEL=data /data ext4 defaults 0 2",
      "",
    ]);
    expect(out.changes).toHaveLength(3);
  });

  it("adds a root line when the image has none", () => {
    expect(rewriteFstab("", UUID).text).toBe(`UUID=${UUID} / ext4 defaults,errors=remount-ro 0 1\n`);
  });
});

describe("parseMenuLst", () => {
  it("finds the default entry's kernel, initrd and arguments", () => {
    const entry = parseMenuLst(
      [
        "default 1",
        "timeout 5",
        "title old",
        "  root (hd0,0)",
        "  kernel /boot/vmlinuz-2.6.18-xen root=/dev/sda1",
        "title CentOS (2.6.32-xen)",
        "  root (hd0,0)",
        "  kernel /boot/vmlinuz-6.1.0-28-cloud-amd64 root=/dev/xvda1 ro xencons=tty console=hvc0 elevator=noop",
        "  initrd /boot/initrd.img-6.1.0-28-cloud-amd64",
      ].join("\n"),
    );
    expect(entry).toEqual({
      title: "CentOS (2.6.32-xen)",
      kernel: "/boot/vmlinuz-6.1.0-28-cloud-amd64",
      initrd: "/boot/initrd.img-6.1.0-28-cloud-amd64",
      args: ["root=/dev/xvda1", "ro", "xencons=tty", "console=hvc0", "elevator=noop"],
    });
    expect(keptKernelArgs(entry!.args)).toEqual(["elevator=noop"]);
  });

  it("returns nothing for a menu without kernels", () => {
    expect(parseMenuLst("timeout 3\n")).toBeUndefined();
  });
});

describe("setRootPassword", () => {
  const shadow = "root:$6$salt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";

  it("locks root's password by default and keeps the others", () => {
    const out = setRootPassword(shadow, undefined);
    expect(out.text).toBe("root:!$6$salt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
    expect(setRootPassword(out.text, undefined).change).toMatch(/already locked/);
  });

  it("sets a given hash", () => {
    const hash = "$y$j9T$abcdefghijkl$mnopqrstuvwxyz0123456789ABCDEFGHIJ";
    expect(setRootPassword(shadow, hash).text.split("\n")[0]).toBe(`root:${hash}:19000:0:99999:7:::`);
  });
});

describe("rewriteInittab", () => {
  it("comments out the Xen console getty and adds one on ttyS0", () => {
    const out = rewriteInittab("id:3:initdefault:\nco:2345:respawn:/sbin/agetty xvc0 9600 vt100-nav\n");
    expect(out.text).toContain("# layerboom: co:2345:respawn:/sbin/agetty xvc0");
    expect(out.text).toContain("T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100");
  });
});

describe("extlinuxConfig and kernel order", () => {
  it("boots the kernel with root by UUID and the console on ttyS0", () => {
    const text = extlinuxConfig({
      kernel: "/boot/vmlinuz-6.1",
      initrd: "/boot/initrd.img-6.1",
      rootUuid: UUID,
    });
    expect(text).toContain("  LINUX /boot/vmlinuz-6.1\n  INITRD /boot/initrd.img-6.1\n");
    expect(text).toContain(`APPEND root=UUID=${UUID} ro console=tty0 console=ttyS0,115200n8`);
  });

  it("orders releases numerically, newest first", () => {
    expect(newestFirst(["6.1.0-9-amd64", "6.1.0-28-amd64", "5.10.0-30-amd64"])).toEqual([
      "6.1.0-28-amd64",
      "6.1.0-9-amd64",
      "5.10.0-30-amd64",
    ]);
  });
});
