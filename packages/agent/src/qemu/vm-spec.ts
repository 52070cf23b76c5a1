import { createHash } from "node:crypto";
import type { DiskFormat } from "../disks/qemu-img.js";
import type { NocloudSeedInput } from "../seed/nocloud-seed.js";
import { VmSpecError } from "./errors.js";

/** The accelerator QEMU runs guests with. Chosen once per host by the accelerator probe. */
export type Accelerator = "kvm" | "tcg";

/** Direct kernel boot (`-kernel/-initrd/-append`), used by the tiny test guest and Xen-style images. */
export interface KernelBoot {
  kernel: string;
  initrd?: string;
  append?: string;
}

/** Desired state of one VM on this host, as the reconciler hands it to the driver. */
export interface VmSpec {
  /** Lowercase letters, digits and dashes; names the runtime and data folders. */
  serverId: string;
  vcpus: number;
  memoryMiB: number;
  disk: {
    /** The base image, normally a path in the base image cache. */
    baseImage: string;
    baseFormat: DiskFormat;
    /** The plan's disk size; default the base image's virtual size. */
    sizeBytes?: number;
  };
  /** Boot this kernel instead of the disk's boot loader. */
  kernelBoot?: KernelBoot;
  /** cloud-init NoCloud seed; the driver fills in the NIC's MAC. Omit for no seed. */
  seed?: Omit<NocloudSeedInput, "macAddress">;
  /**
   * Host port on 127.0.0.1 forwarded to the guest's port 22; default: a free port, kept across
   * restarts. User-mode networking only: ignored with {@link network}.
   */
  sshHostPort?: number;
  /**
   * Bridged networking (docs/networking.md): the NIC is the tap `tap` on the host bridge
   * `bridge`, made before QEMU starts. Without it, QEMU user-mode networking with SSH forwarded.
   * The guest's addresses travel in the seed (`seed.network`).
   */
  network?: VmNetwork;
}

/** The host side of a bridged NIC. */
export interface VmNetwork {
  /** An existing Linux bridge. */
  bridge: string;
  /** The tap's name (`tapForServer` in core for servers), at most 15 characters. */
  tap: string;
}

/** A validated spec; paths are as given. */
export interface CompiledVmSpec extends VmSpec {
  /** Deterministic MAC of the virtio NIC, derived from the server id (QEMU's 52:54:00 prefix). */
  macAddress: string;
}

const SERVER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Linux interface names: at most 15 bytes, no slash, space or colon. */
const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** Validates a spec and derives its MAC. Throws VmSpecError. */
export function compileVmSpec(spec: VmSpec): CompiledVmSpec {
  const id = spec.serverId;
  if (!SERVER_ID.test(id))
    throw new VmSpecError(id, "serverId must be 1-63 of [a-z0-9-], starting with a letter or digit");
  if (!Number.isInteger(spec.vcpus) || spec.vcpus < 1 || spec.vcpus > 255)
    throw new VmSpecError(id, `vcpus out of range: ${spec.vcpus}`);
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < 32)
    throw new VmSpecError(id, `memoryMiB out of range: ${spec.memoryMiB}`);
  if (!spec.disk.baseImage.startsWith("/"))
    throw new VmSpecError(id, "disk.baseImage must be an absolute path");
  if (spec.disk.baseFormat !== "qcow2" && spec.disk.baseFormat !== "raw") {
    throw new VmSpecError(id, `disk.baseFormat must be qcow2 or raw, got ${String(spec.disk.baseFormat)}`);
  }
  if (
    spec.disk.sizeBytes !== undefined &&
    (!Number.isSafeInteger(spec.disk.sizeBytes) || spec.disk.sizeBytes <= 0)
  ) {
    throw new VmSpecError(id, `disk.sizeBytes must be a positive integer, got ${spec.disk.sizeBytes}`);
  }
  if (spec.kernelBoot && !spec.kernelBoot.kernel.startsWith("/"))
    throw new VmSpecError(id, "kernelBoot.kernel must be an absolute path");
  if (
    spec.sshHostPort !== undefined &&
    (!Number.isInteger(spec.sshHostPort) || spec.sshHostPort < 1 || spec.sshHostPort > 65535)
  ) {
    throw new VmSpecError(id, `sshHostPort out of range: ${spec.sshHostPort}`);
  }
  if (spec.network) {
    for (const [field, name] of [
      ["network.bridge", spec.network.bridge],
      ["network.tap", spec.network.tap],
    ] as const) {
      if (!IFNAME.test(name))
        throw new VmSpecError(
          id,
          `${field} must be an interface name (1-15 of [A-Za-z0-9_.-]), got "${name}"`,
        );
    }
  }
  return { ...spec, macAddress: macForServer(id) };
}

/** A stable locally-administered MAC for a server: 52:54:00 plus three bytes of sha256(serverId). */
export function macForServer(serverId: string): string {
  const digest = createHash("sha256").update(serverId).digest();
  return ["52", "54", "00", ...[0, 1, 2].map((i) => (digest[i] ?? 0).toString(16).padStart(2, "0"))].join(
    ":",
  );
}

/**
 * A hash of everything in a spec that needs a QEMU restart to change. The driver records it
 * when it starts a VM; the reconciler compares it to decide whether a running VM is stale.
 * The seed's static addresses are left out: a changed list is written into the seed of the
 * running VM and applies at the guest's next boot, without restarting it. The bridge and tap
 * are in only when set, so the hash of a VM without them is what it always was.
 */
export function vmSpecHash(spec: VmSpec): string {
  const canonical = {
    serverId: spec.serverId,
    vcpus: spec.vcpus,
    memoryMiB: spec.memoryMiB,
    disk: {
      baseImage: spec.disk.baseImage,
      baseFormat: spec.disk.baseFormat,
      sizeBytes: spec.disk.sizeBytes ?? null,
    },
    kernelBoot: spec.kernelBoot
      ? {
          kernel: spec.kernelBoot.kernel,
          initrd: spec.kernelBoot.initrd ?? null,
          append: spec.kernelBoot.append ?? null,
        }
      : null,
    seed: spec.seed
      ? {
          instanceId: spec.seed.instanceId,
          hostname: spec.seed.hostname,
          sshAuthorizedKeys: spec.seed.sshAuthorizedKeys ?? [],
          passwordHash: spec.seed.passwordHash ?? null,
          user: spec.seed.user ?? null,
        }
      : null,
    sshHostPort: spec.sshHostPort ?? null,
    ...(spec.network ? { network: { bridge: spec.network.bridge, tap: spec.network.tap } } : {}),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
