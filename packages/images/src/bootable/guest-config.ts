/**
 * Pure rewrites of a guest's configuration files, one per step of the manual EC2/Xen → KVM
 * recipe. Each returns the new text and what it changed, for the image's pipeline record.
 */

/** Device names that differ between Xen/EC2 and KVM (`xvda1`, `sda1`, `hda1`, `vda1`). */
const UNSTABLE_DEVICE = /^\/dev\/(xvd|sd|hd|vd)[a-z]+\d*$/;

/** Root on the new disk by UUID; every other mount on a Xen/EC2 device name is commented out. */
export function rewriteFstab(text: string, rootUuid: string): { text: string; changes: string[] } {
  const changes: string[] = [];
  const rootLine = `UUID=${rootUuid} / ext4 defaults,errors=remount-ro 0 1`;
  let sawRoot = false;
  const lines = text.split("\n").map((line) => {
    const fields = line.trim().split(/\s+/);
    if (line.trim() === "" || line.trim().startsWith("#") || fields.length < 2) return line;
    const [device = "", mountPoint = ""] = fields;
    if (mountPoint === "/") {
      sawRoot = true;
      changes.push(`root ${device} → UUID=${rootUuid}`);
      return rootLine;
    }
    if (UNSTABLE_DEVICE.test(device)) {
      changes.push(`disabled ${device} on ${mountPoint} (a Xen/EC2 device name)`);
      return `# layerboom: ${line.trim()}  (a Xen/EC2 device name; attach extra disks by UUID or LABEL)`;
    }
    return line;
  });
  if (!sawRoot) {
    changes.push(`added root UUID=${rootUuid}`);
    lines.unshift(rootLine);
  }
  const out = lines.join("\n");
  return { text: out.endsWith("\n") ? out : `${out}\n`, changes };
}

/** One boot entry of a GRUB legacy menu.lst (what Xen and old EC2 images carry). */
export interface MenuLstEntry {
  title: string;
  kernel: string;
  initrd?: string;
  /** Kernel arguments after the path. */
  args: string[];
}

/** The default entry of a GRUB legacy menu.lst, or undefined when it names no kernel. */
export function parseMenuLst(text: string): MenuLstEntry | undefined {
  let defaultIndex = 0;
  const entries: MenuLstEntry[] = [];
  let current: MenuLstEntry | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const [keyword = "", ...rest] = line.split(/[\s=]+/);
    const key = keyword.toLowerCase();
    if (key === "default" && current === undefined) {
      const n = Number(rest[0]);
      if (Number.isInteger(n) && n >= 0) defaultIndex = n;
    } else if (key === "title") {
      current = { title: line.slice(keyword.length).trim(), kernel: "", args: [] };
      entries.push(current);
    } else if (key === "kernel" && current) {
      const [path = "", ...args] = line.slice(keyword.length).trim().split(/\s+/);
      current.kernel = path;
      current.args = args;
    } else if (key === "initrd" && current) {
      current.initrd = line.slice(keyword.length).trim().split(/\s+/)[0];
    }
  }
  const chosen = entries[defaultIndex] ?? entries[0];
  return chosen && chosen.kernel ? chosen : undefined;
}

/** A crypt(3) hash that shadow accepts: yescrypt, SHA-512/256 crypt or bcrypt. */
export const PASSWORD_HASH = /^\$(y|gy|7|6|5|2[abxy])\$[./A-Za-z0-9$,=]{8,}$/;

/**
 * Locks root's password (cloud-init keys are the way in), or sets the hash the user gave.
 * EC2 images randomise it; a leftover known password is worse than none.
 */
export function setRootPassword(shadow: string, hash: string | undefined): { text: string; change: string } {
  let change = "";
  const lines = shadow.split("\n").map((line) => {
    const fields = line.split(":");
    if (fields[0] !== "root" || fields.length < 2) return line;
    const current = fields[1] ?? "";
    if (hash !== undefined) {
      fields[1] = hash;
      change = "root password set from the given hash";
    } else if (current.startsWith("!")) {
      change = "root password already locked";
    } else {
      fields[1] = `!${current === "" ? "*" : current}`;
      change = "root password locked (log in with a cloud-init SSH key)";
    }
    return fields.join(":");
  });
  if (!change) change = "no root entry in /etc/shadow";
  return { text: lines.join("\n"), change };
}

/**
 * Serial getty for sysvinit/upstart guests (systemd starts one from `console=ttyS0` by
 * itself); Xen console gettys (hvc0, xvc0) are commented out.
 */
export function rewriteInittab(text: string): { text: string; changes: string[] } {
  const changes: string[] = [];
  let hasSerial = false;
  const lines = text.split("\n").map((line) => {
    if (line.trim().startsWith("#")) return line;
    if (/\bttyS0\b/.test(line)) hasSerial = true;
    if (/\b(hvc0|xvc0)\b/.test(line)) {
      changes.push(`disabled Xen console getty: ${line.trim()}`);
      return `# layerboom: ${line}`;
    }
    return line;
  });
  if (!hasSerial) {
    lines.push("T0:2345:respawn:/sbin/getty -L ttyS0 115200 vt100", "");
    changes.push("added a getty on ttyS0");
  }
  return { text: lines.join("\n").replace(/\n{3,}$/, "\n\n"), changes };
}

/** Services that only make sense on EC2 or under Xen (metadata fetchers, Xen tools, xenstore). */
export const EC2_XEN_ONLY = /^(ec2[-_][\w.-]*|amazon-[\w.-]*|xe-[\w.-]*|xen[\w.-]*|xenstore[\w.-]*)$/;

/** The extlinux configuration that boots `kernel` with root on the new disk and the console on ttyS0. */
export function extlinuxConfig(options: {
  kernel: string;
  initrd?: string;
  rootUuid: string;
  extraArgs?: string[];
}): string {
  const args = [
    `root=UUID=${options.rootUuid}`,
    "ro",
    "console=tty0",
    "console=ttyS0,115200n8",
    ...(options.extraArgs ?? []),
  ];
  return [
    "# Written by Layerboom's image pipeline: boots the image's kernel with root by UUID.",
    "SERIAL 0 115200",
    "DEFAULT linux",
    "PROMPT 0",
    "TIMEOUT 1",
    "LABEL linux",
    `  LINUX ${options.kernel}`,
    ...(options.initrd ? [`  INITRD ${options.initrd}`] : []),
    `  APPEND ${args.join(" ")}`,
    "",
  ].join("\n");
}

/** Kernel arguments worth keeping from a Xen menu.lst entry (not root, console or Xen-only ones). */
export function keptKernelArgs(args: readonly string[]): string[] {
  return args.filter(
    (a) =>
      !/^(root|console|xencons|ro|rw|quiet|splash|init)(=|$)/.test(a) && /^[\w.-]+(=[\w.,:/-]*)?$/.test(a),
  );
}

/** Orders kernel releases newest first (`6.1.0-28` after `6.1.0-9`). */
export function newestFirst(releases: readonly string[]): string[] {
  return [...releases].sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
}
