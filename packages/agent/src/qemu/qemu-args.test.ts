import { describe, expect, it } from "vitest";
import { buildQemuArgs, escapeOptionValue } from "./qemu-args.js";
import { compileVmSpec, macForServer, vmSpecHash, type VmSpec } from "./vm-spec.js";
import { vmPaths } from "./vm-paths.js";
import { VmSpecError } from "./errors.js";

const spec: VmSpec = {
  serverId: "srv-1",
  vcpus: 2,
  memoryMiB: 512,
  disk: { baseImage: "/cache/abc", baseFormat: "raw", sizeBytes: 1 << 30 },
  kernelBoot: { kernel: "/k/vmlinuz", initrd: "/k/initrd.img", append: "console=ttyS0" },
  seed: { instanceId: "srv-1", hostname: "web-1" },
};
const paths = vmPaths("/run/lb", "/var/lib/lb", "srv-1");

function valueOf(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ""] : []));
}

describe("buildQemuArgs", () => {
  const args = buildQemuArgs(compileVmSpec(spec), paths, { accel: "tcg", sshHostPort: 2222, withSeed: true });

  it("starts from nothing and paused, with an explicit machine", () => {
    expect(args.slice(0, 2)).toEqual(["-nodefaults", "-no-user-config"]);
    expect(args).toContain("-S");
    expect(valueOf(args, "-machine")).toEqual(["q35"]);
    expect(valueOf(args, "-accel")).toEqual(["tcg"]);
    expect(valueOf(args, "-cpu")).toEqual(["max"]);
  });

  it("names the format of every drive", () => {
    const drives = valueOf(args, "-drive");
    expect(drives).toEqual([
      "file=/var/lib/lb/srv-1/disk.qcow2,if=none,id=disk0,format=qcow2,discard=unmap",
      "file=/var/lib/lb/srv-1/seed.iso,if=none,id=seed0,format=raw,readonly=on",
    ]);
  });

  it("puts QMP, serial, pidfile in the runtime folder as non-blocking socket servers", () => {
    expect(valueOf(args, "-qmp")).toEqual(["unix:/run/lb/srv-1/qmp.sock,server=on,wait=off"]);
    expect(valueOf(args, "-chardev")).toEqual([
      "socket,id=serial0,path=/run/lb/srv-1/serial.sock,server=on,wait=off,logfile=/run/lb/srv-1/serial.log,logappend=on",
    ]);
    expect(valueOf(args, "-serial")).toEqual(["chardev:serial0"]);
    expect(valueOf(args, "-pidfile")).toEqual(["/run/lb/srv-1/qemu.pid"]);
  });

  it("forwards only loopback SSH and uses the server's stable MAC", () => {
    expect(valueOf(args, "-netdev")).toEqual(["user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22"]);
    expect(valueOf(args, "-device")).toContain(`virtio-net-pci,netdev=net0,mac=${macForServer("srv-1")}`);
  });

  it("puts a bridged VM's NIC on its tap, with no forward and no scripts", () => {
    const bridged = buildQemuArgs(
      compileVmSpec({ ...spec, network: { bridge: "br-public", tap: "lb0123456789abc" } }),
      paths,
      { accel: "tcg", withSeed: true },
    );
    expect(valueOf(bridged, "-netdev")).toEqual([
      "tap,id=net0,ifname=lb0123456789abc,script=no,downscript=no",
    ]);
    expect(valueOf(bridged, "-device")).toContain(`virtio-net-pci,netdev=net0,mac=${macForServer("srv-1")}`);
    expect(() => buildQemuArgs(compileVmSpec(spec), paths, { accel: "tcg", withSeed: true })).toThrow(
      VmSpecError,
    );
  });

  it("boots the kernel directly when asked, and from disk otherwise", () => {
    expect(valueOf(args, "-kernel")).toEqual(["/k/vmlinuz"]);
    expect(valueOf(args, "-append")).toEqual(["console=ttyS0"]);
    const diskBoot = buildQemuArgs(
      compileVmSpec({ ...spec, kernelBoot: undefined, seed: undefined }),
      paths,
      {
        accel: "kvm",
        sshHostPort: 2222,
        withSeed: false,
      },
    );
    expect(diskBoot).not.toContain("-kernel");
    expect(valueOf(diskBoot, "-drive")).toHaveLength(1);
    expect(valueOf(diskBoot, "-cpu")).toEqual(["host"]);
  });

  it("escapes commas in paths", () => {
    expect(escapeOptionValue("/a,b/disk")).toBe("/a,,b/disk");
    const odd = buildQemuArgs(compileVmSpec(spec), vmPaths("/run/l,b", "/d", "srv-1"), {
      accel: "tcg",
      sshHostPort: 1,
      withSeed: false,
    });
    expect(valueOf(odd, "-qmp")).toEqual(["unix:/run/l,,b/srv-1/qmp.sock,server=on,wait=off"]);
  });
});

describe("compileVmSpec", () => {
  it("derives a locally administered MAC that is stable per server", () => {
    expect(compileVmSpec(spec).macAddress).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(macForServer("srv-1")).toBe(macForServer("srv-1"));
    expect(macForServer("srv-1")).not.toBe(macForServer("srv-2"));
  });

  it("rejects ids that could escape the runtime folder, and bad sizes", () => {
    expect(() => compileVmSpec({ ...spec, serverId: "../etc" })).toThrow(VmSpecError);
    expect(() => compileVmSpec({ ...spec, vcpus: 0 })).toThrow(VmSpecError);
    expect(() => compileVmSpec({ ...spec, disk: { ...spec.disk, baseImage: "relative.img" } })).toThrow(
      VmSpecError,
    );
  });

  it("hashes specs so a change that needs a restart is visible", () => {
    expect(vmSpecHash(spec)).toBe(vmSpecHash({ ...spec }));
    expect(vmSpecHash({ ...spec, memoryMiB: 1024 })).not.toBe(vmSpecHash(spec));
  });

  it("restarts for a new bridge or tap but not for new addresses (they apply at the next boot)", () => {
    const network = { bridge: "br-public", tap: "lb0123456789abc" };
    const seedNet = { ipv4: ["203.0.113.10/24"], gateway4: "203.0.113.1", nameservers: [] };
    const bridged: VmSpec = { ...spec, network, seed: { ...spec.seed!, network: seedNet } };
    expect(vmSpecHash(bridged)).not.toBe(vmSpecHash(spec));
    expect(vmSpecHash({ ...bridged, network: { ...network, bridge: "br-other" } })).not.toBe(
      vmSpecHash(bridged),
    );
    expect(
      vmSpecHash({
        ...bridged,
        seed: { ...bridged.seed!, network: { ...seedNet, ipv4: ["203.0.113.11/24"] } },
      }),
    ).toBe(vmSpecHash(bridged));
  });

  it("rejects interface names that are not Linux ones", () => {
    expect(() => compileVmSpec({ ...spec, network: { bridge: "br public", tap: "lb1" } })).toThrow(
      /network\.bridge/,
    );
    expect(() => compileVmSpec({ ...spec, network: { bridge: "br0", tap: "lb0123456789abcdef" } })).toThrow(
      /network\.tap/,
    );
  });
});
