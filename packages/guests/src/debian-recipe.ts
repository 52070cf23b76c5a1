/* What goes into the debian-12 guest: packages, units, cloud-init settings, files. Every value here
   is hashed into the build's cache key (debian-guest.ts), so a change rebuilds the cached guest. */

/** Bumped whenever the build recipe changes in a way the inputs below do not capture. */
export const RECIPE_VERSION = 2;

/** The line cloud-init's final_message prints on the serial console once the final stage is done. */
export const DEBIAN_READY_PREFIX = "LAYERBOOM-DEBIAN-READY";

/**
 * Matches the readiness line. cloud-init fills in `$version`, `$datasource` and `$uptime`; an
 * unrendered template (`uptime=$uptime`) does not match. Printed on every boot, after
 * multi-user.target (so sshd is listening) and network-online.target.
 */
export const DEBIAN_READY_PATTERN = new RegExp(
  `${DEBIAN_READY_PREFIX} version=(\\S+) datasource=(.*?) uptime=([0-9.]+)`,
);

/** The account cloud-init's `default` user entry creates; pass it as the seed's `user`. */
export const DEBIAN_DEFAULT_USER = "debian";

/** The default kernel command line: ext4 root without partition table, serial console, reboot on panic. */
export const DEBIAN_DEFAULT_APPEND = "root=/dev/vda rw console=ttyS0 panic=-1";

/**
 * What debootstrap installs on top of `--variant=minbase`. debootstrap resolves plain
 * dependencies but not virtual packages, hence python3-cffi-backend (it provides the
 * python3-cffi-backend-api-* that python3-cryptography needs). udev and dbus are not in
 * minbase; networkd needs the first, hostnamectl the second. iproute2 is what cloud-init's
 * networkd renderer checks for.
 */
export const DEBIAN_GUEST_PACKAGES: readonly string[] = [
  "linux-image-cloud-amd64",
  "systemd-sysv",
  "udev",
  "dbus",
  "cloud-init",
  "python3-cffi-backend",
  "openssh-server",
  "sudo",
  "iproute2",
  "netbase",
];

/** Units that only cost boot time (or run later and cost CPU) in a short-lived test guest. */
export const MASKED_UNITS = [
  "apt-daily.timer",
  "apt-daily-upgrade.timer",
  "dpkg-db-backup.timer",
  "e2scrub_all.timer",
  "e2scrub_reap.service",
  "fstrim.timer",
  "systemd-pstore.service",
  // No VGA: the only console is ttyS0, whose getty systemd adds from console=ttyS0.
  "getty@tty1.service",
];

/** cloud-init renders network-config v2 for networkd; wait-online orders cloud-final after DHCP. */
export const ENABLED_UNITS = ["systemd-networkd.service", "systemd-networkd-wait-online.service"];

/** The stock cloud_config_modules of Debian's cloud-init 22.4, less grub-dpkg (no GRUB: direct kernel boot). */
export const CLOUD_CONFIG_MODULES = [
  "snap",
  "ssh-import-id",
  "keyboard",
  "locale",
  "set-passwords",
  "apt-pipelining",
  "apt-configure",
  "ntp",
  "timezone",
  "disable-ec2-metadata",
  "runcmd",
  "byobu",
];

/** Configuration files written into the root filesystem after debootstrap (path → content). */
export const GUEST_FILES: Record<string, string> = {
  "etc/cloud/cloud.cfg.d/90-layerboom.cfg": [
    // The package name is where the recipe began; this text is hashed into the cache key, so
    // renaming it would rebuild every cached guest for a comment.
    "# Layerboom debian-12 test guest (@layerboom/testkit).",
    "# Only NoCloud (the seed disk) or nothing: no waiting for metadata services.",
    "# ds-identify reads datasource_list only when it is on one line.",
    "datasource_list: [ NoCloud, None ]",
    "manage_etc_hosts: true",
    // The image has no generated locales; C.UTF-8 is built into glibc.
    "locale: C.UTF-8",
    // RSA host key generation is the slowest of the three under TCG.
    "ssh_genkeytypes: [ ed25519, ecdsa ]",
    "system_info:",
    "  network:",
    "    renderers: [ networkd ]",
    "    activators: [ networkd ]",
    "cloud_config_modules:",
    ...CLOUD_CONFIG_MODULES.map((m) => `  - ${m}`),
    `final_message: "${DEBIAN_READY_PREFIX} version=$version datasource=$datasource uptime=$uptime"`,
    "",
  ].join("\n"),
  // Only the host keys cloud-init generates (see ssh_genkeytypes), so sshd does not log a missing RSA key.
  "etc/ssh/sshd_config.d/10-layerboom.conf": [
    "HostKey /etc/ssh/ssh_host_ed25519_key",
    "HostKey /etc/ssh/ssh_host_ecdsa_key",
    "",
  ].join("\n"),
  // The root filesystem is the whole virtio disk; no fsck at boot (pass 0).
  "etc/fstab": "/dev/vda / ext4 defaults,discard,errors=remount-ro 0 0\n",
  "etc/hostname": "debian\n",
  // virtio_pci and virtio_blk are modules in the cloud kernel (ext4 is built in); nothing else is needed
  // to mount root, so the initramfs holds just these instead of MODULES=most.
  "etc/initramfs-tools/conf.d/layerboom": "MODULES=list\nCOMPRESS=gzip\n",
};
export const INITRAMFS_MODULES = ["virtio_pci", "virtio_blk"];
