/** The line the tiny guest prints on its serial console once user space is up. */
export const TINY_READY_PREFIX = "LAYERBOOM-READY";

/**
 * Matches a whole readiness line, newline included (so a match on a stream never sees half a
 * line); group 1 is the hostname.
 */
export const TINY_READY_PATTERN = /LAYERBOOM-READY hostname=(\S+)[^\r\n]*\r?\n/;

/** Printed by the guest when it handles the ACPI power button (graceful shutdown). */
export const TINY_POWEROFF_LINE = "LAYERBOOM-POWEROFF acpi";

/** Kernel modules the initramfs loads, dependencies first (resolved at build time). */
export const TINY_WANTED_MODULES = [
  "virtio_pci",
  "virtio_blk",
  "virtio_net",
  "virtio_rng",
  "isofs",
  // ACPI power button; without it system_powerdown is ignored by the guest.
  "button",
  // busybox acpid reads power-button presses from /dev/input/event*.
  "evdev",
] as const;

/**
 * busybox applets the guest's scripts and the tests rely on (`ping` and `nc` also let tests
 * reach out from inside the guest). busybox-static has them all; a build fails naming any
 * that the host's busybox lacks.
 */
export const TINY_REQUIRED_APPLETS = [
  "sh",
  "ip",
  "udhcpc",
  "sed",
  "acpid",
  "nc",
  "ping",
  "setsid",
  "insmod",
  "poweroff",
] as const;

/** Parsed `key=value` fields of a readiness line, or undefined if `line` is not one. */
export function parseTinyReadyLine(line: string): Record<string, string> | undefined {
  const at = line.indexOf(`${TINY_READY_PREFIX} `);
  if (at < 0) return undefined;
  const fields: Record<string, string> = {};
  for (const token of line
    .slice(at + TINY_READY_PREFIX.length)
    .trim()
    .split(/\s+/)) {
    const eq = token.indexOf("=");
    if (eq > 0) fields[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return fields;
}

/**
 * /init of the tiny guest: a busybox shell script that is PID 1.
 *
 * Networking: static addresses and the default route from the seed's network-config when it
 * has any (a bridged server, docs/networking.md), DHCP otherwise (QEMU user networking). The
 * readiness line's `ip=` is the first address.
 *
 * Kernel command-line options it understands:
 * - `layerboom.busy=N` starts N busy loops (CPU load for energy tests).
 * - `layerboom.poweroff=1` powers off right after the readiness line (accelerator probe).
 */
export const TINY_INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /var/log /var/run /tmp && mount -t devpts devpts /dev/pts
for m in $(cat /lib/modules/load-order); do insmod "/lib/modules/$m.ko" || echo "layerboom: cannot load $m"; done
cmdline=" $(cat /proc/cmdline) "
arg() { for w in $cmdline; do case "$w" in "$1="*) echo "\${w#*=}"; return;; esac; done; }

hostname=tiny
seed=none
disk=none
boots=0
for d in /dev/vd? /dev/sr?; do
  [ -b "$d" ] || continue
  if [ "$seed" = none ] && mount -t iso9660 -o ro "$d" /mnt/seed 2>/dev/null; then
    if [ -f /mnt/seed/meta-data ]; then
      seed="$d"
      h=$(sed -n 's/^local-hostname: *//p' /mnt/seed/meta-data | tr -d "\\"'\\r")
      [ -n "$h" ] && hostname="$h"
      continue
    fi
    umount /mnt/seed
  fi
  if [ "$disk" = none ] && mount -t ext4 "$d" /mnt/disk 2>/dev/null; then
    disk="$d"
    boots=$(( $(cat /mnt/disk/boot-count 2>/dev/null || echo 0) + 1 ))
    echo "$boots" > /mnt/disk/boot-count
    sync
  fi
done
hostname "$hostname"

ip link set lo up
ip=none
# Static addresses from the seed's network-config v2 (a bridged server): every "- a.b.c.d/n"
# line is an address (resolvers have no prefix), "via: x" the default route. Else DHCP.
static=""
gateway=""
if [ "$seed" != none ] && [ -f /mnt/seed/network-config ]; then
  static=$(sed -n 's/^ *- *\\([0-9][0-9.]*\\/[0-9][0-9]*\\) *$/\\1/p' /mnt/seed/network-config)
  gateway=$(sed -n 's/^ *-\\{0,1\\} *via: *\\([0-9][0-9.]*\\) *$/\\1/p' /mnt/seed/network-config | head -n 1)
fi
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  if [ -n "$static" ]; then
    for a in $static; do ip addr add "$a" dev eth0 || echo "layerboom: cannot add $a"; done
    [ -n "$gateway" ] && { ip route add default via "$gateway" dev eth0 || echo "layerboom: cannot route via $gateway"; }
  else
    udhcpc -i eth0 -n -q -t 5 -T 1 -s /etc/udhcpc.script >/dev/null 2>&1
  fi
  ip=$(ip -4 -o addr show dev eth0 | sed -n 's/.* inet \\([0-9.]*\\).*/\\1/p' | head -n 1)
  [ -n "$ip" ] || ip=none
fi
# The power button's input device appears asynchronously after evdev loads, and acpid only
# watches the devices present when it starts. Wait for the power button itself (not just any
# input device: the keyboard may come first), for up to a minute on a loaded host.
power_button() {
  for d in /sys/class/input/event*; do
    grep -qs "Power Button" "$d/device/name" && [ -e "/dev/input/\${d##*/}" ] && return 0
  done
  return 1
}
i=0
while [ "$i" -lt 600 ] && ! power_button; do sleep 0.1; i=$((i + 1)); done
power_button || echo "LAYERBOOM-WARNING no power button input device" >/dev/console
acpid -c /etc/acpi -l /dev/null
nc -ll -p 22 -e /etc/banner &

busy=$(arg layerboom.busy)
i=0
while [ "$i" -lt "\${busy:-0}" ]; do (while :; do :; done) & i=$((i + 1)); done

echo "${TINY_READY_PREFIX} hostname=$hostname seed=$seed disk=$disk boots=$boots ip=$ip busy=\${busy:-0}"
[ "$(arg layerboom.poweroff)" = 1 ] && poweroff -f

while :; do setsid -c sh -l </dev/ttyS0 >/dev/ttyS0 2>&1; done
`;

/** Run by busybox acpid on a power-button press: the guest's graceful shutdown. */
export const TINY_POWER_BUTTON_SCRIPT = `#!/bin/sh
echo "${TINY_POWEROFF_LINE}" >/dev/console
umount /mnt/disk 2>/dev/null
sync
poweroff -f
`;

/** udhcpc event script: configures the lease it gets (QEMU user networking answers DHCP). */
export const TINY_UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route add default via "\${router%% *}" dev "$interface"
    ;;
esac
exit 0
`;

/** Answers on port 22 so tests can check host port forwarding without an SSH server. */
export const TINY_BANNER_SCRIPT = `#!/bin/sh
echo "SSH-2.0-LayerboomTiny"
`;
