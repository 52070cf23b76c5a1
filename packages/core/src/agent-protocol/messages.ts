/**
 * The agent channel: JSON text frames over one WebSocket per host at `/agent/v1`. The
 * controller and the agent never import each other; these schemas are their only contract.
 * Each message is declared once as a TypeBox schema, its type is derived from it, and each
 * end checks every frame it receives against it (decode.ts). See docs/agent-protocol.md.
 *
 * Objects accept fields they do not know, so a newer peer may add an optional field without
 * breaking an older one; anything incompatible bumps `AGENT_PROTOCOL_VERSION` (version.ts).
 *
 * The schemas load TypeBox, so core's main entry exports only their types; the schemas and
 * the checkers are in `@layerboom/core/schemas`.
 */
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { LiteralUnion } from "../literal-union.js";
import { DesiredStateSchema, ObservedStateSchema } from "../server-schemas.js";
import { CAPTURE_ID_PATTERN, CAPTURE_METHODS } from "./capture-methods.js";

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Count = Type.Integer({ minimum: 0, maximum: 2 ** 40 });
const Micro = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const EpochMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });
const ErrorText = Type.String({ maxLength: 2000 });

/** The hardware accelerators QEMU runs guests with. */
export const ACCELERATORS = ["kvm", "tcg"] as const;
/** Schema of {@link Accelerator}. */
export const AcceleratorSchema = LiteralUnion(ACCELERATORS);
/** `kvm` where the host offers it, else `tcg` (emulation). */
export type Accelerator = Static<typeof AcceleratorSchema>;

/** Schema of {@link HostFacts}. */
export const HostFactsSchema = Type.Object({
  hostname: Type.String({ maxLength: 255 }),
  agent_version: Type.String({ maxLength: 64 }),
  protocol_version: Type.Integer(),
  accelerator: AcceleratorSchema,
  cores: Count,
  memory_mib: Count,
  disk_gib: Count,
  /**
   * The Linux bridges this agent was told it may attach servers to (`layerboom agent --bridge`).
   * Placement puts a server of a site with an IPv4 pool only on hosts that offer its bridge.
   */
  bridges: Type.Optional(Type.Array(Type.String({ pattern: "^[A-Za-z0-9_.-]{1,15}$" }), { maxItems: 64 })),
});
/** What the agent reports about its host when it connects. */
export type HostFacts = Static<typeof HostFactsSchema>;

/** Schema of {@link DesiredNetwork}. */
export const DesiredNetworkSchema = Type.Object({
  /** The host bridge the tap joins; one of the host's `bridges`. */
  bridge: Type.String({ minLength: 1 }),
  /** The tap's name on the host, from `tapForServer`. */
  tap: Type.String({ minLength: 1 }),
  /** IPv4 addresses in CIDR form, the primary first, e.g. `203.0.113.10/24`. */
  ipv4: Type.Array(Type.String()),
  /** The default route's next hop. */
  gateway4: Type.String(),
  /** DNS resolvers for the guest; may be empty. */
  nameservers: Type.Array(Type.String()),
});
/**
 * A server's public network (docs/networking.md): a tap device on one of the host's bridges,
 * with the addresses the controller allocated. Without it the server gets QEMU user-mode
 * networking (a private NAT with SSH forwarded from a loopback port), as on a laptop.
 */
export type DesiredNetwork = Static<typeof DesiredNetworkSchema>;

/** Schema of {@link BlobRef}. */
export const BlobRefSchema = Type.Object({
  sha256: Type.String(),
  size_bytes: Micro,
});
/** A file the agent fetches from `/agent/v1/blobs/<sha256>` and verifies before use. */
export type BlobRef = Static<typeof BlobRefSchema>;

/** Schema of {@link CaptureMethod}. */
export const CaptureMethodSchema = LiteralUnion(CAPTURE_METHODS);
/** One of {@link CAPTURE_METHODS}. */
export type CaptureMethod = Static<typeof CaptureMethodSchema>;

/**
 * Schema of {@link CaptureUpload}: the query of `PUT /agent/v1/captures/<capture id>`, whose
 * body is the copied disk (a standalone qcow2), streamed into the capture job's folder.
 */
export const CaptureUploadSchema = Type.Object({
  method: CaptureMethodSchema,
  /** The copy's sha256 and size on the host: the controller refuses an upload that arrives otherwise. */
  sha256: Type.String({ pattern: "^[0-9a-f]{64}$" }),
  size_bytes: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});
/** What the agent says about a capture it uploads. */
export type CaptureUpload = Static<typeof CaptureUploadSchema>;

/** Schema of {@link DesiredServer}. */
export const DesiredServerSchema = Type.Object({
  server_id: Id,
  /** Bumped by every change of intent; echoed back in observations. */
  generation: Seq,
  desired_state: DesiredStateSchema,
  /** The agent resets the guest once for every increment it has not applied yet. */
  reboot_seq: Seq,
  /**
   * The backups this server should have on the host (docs/backups.md): the agent takes each
   * one it lacks and deletes any backup file not named here. Ids only; order is irrelevant.
   */
  backups: Type.Array(Id),
  /**
   * The latest restore request: for a `seq` it has not applied yet, the agent stops the VM,
   * replaces its disk with a copy of the backup and starts it again if it should run.
   */
  restore: Type.Optional(Type.Object({ backup_id: Id, seq: Seq })),
  /**
   * Captures to take (docs/images.md, "Capture"): for each id, the agent copies the disk and
   * uploads the copy to `/agent/v1/captures/<id>`; an id leaves the list once the upload is
   * stored or the capture failed. Absent from controllers before issue 15.
   */
  captures: Type.Optional(Type.Array(Type.String({ pattern: CAPTURE_ID_PATTERN }), { maxItems: 100 })),
  vcpus: Type.Integer({ minimum: 1 }),
  memory_mib: Count,
  disk_gib: Count,
  hostname: Type.String({ minLength: 1 }),
  ssh_authorized_keys: Type.Array(Type.String()),
  /** The customer's own user-data for cloud-init, base64 (at most 16 KiB decoded; docs/ec2.md). */
  user_data_base64: Type.Optional(Type.String({ maxLength: 22_000, pattern: "^[A-Za-z0-9+/]*={0,2}$" })),
  image: Type.Object({
    id: Id,
    disk: Type.Object({ ...BlobRefSchema.properties, format: LiteralUnion(["qcow2", "raw"]) }),
    /** Direct kernel boot (the tiny guest, Xen-style images). */
    kernel: Type.Optional(BlobRefSchema),
    initrd: Type.Optional(BlobRefSchema),
    kernel_append: Type.Optional(Type.String()),
  }),
  /** Public networking on a host bridge; absent for user-mode networking. */
  network: Type.Optional(DesiredNetworkSchema),
});
/** Everything the agent needs to make one server real on its host. */
export type DesiredServer = Static<typeof DesiredServerSchema>;

/** Schema of {@link BackupObservation}. */
export const BackupObservationSchema = Type.Object({
  backup_id: Id,
  state: LiteralUnion(["available", "failed"]),
  size_bytes: Micro,
  error: Type.Optional(ErrorText),
});
/** One backup file of a server, as the agent sees it. */
export type BackupObservation = Static<typeof BackupObservationSchema>;

/** Schema of {@link CaptureObservation}. */
export const CaptureObservationSchema = Type.Object({
  capture_id: Type.String({ pattern: CAPTURE_ID_PATTERN }),
  state: LiteralUnion(["failed"]),
  error: ErrorText,
});
/** A capture the agent could not take or upload (a stored upload is its own report). */
export type CaptureObservation = Static<typeof CaptureObservationSchema>;

/** Schema of {@link ServerObservation}. */
export const ServerObservationSchema = Type.Object({
  server_id: Id,
  state: ObservedStateSchema,
  /** The desired generation this observation answers. */
  generation: Seq,
  ssh_host_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  accelerator: Type.Optional(AcceleratorSchema),
  /** Why the server is in `error`. */
  error: Type.Optional(ErrorText),
  /**
   * Every backup of this server on the host, complete or failed; absent when the agent could
   * not look. A wanted backup not listed is still being taken (or not started).
   */
  backups: Type.Optional(Type.Array(BackupObservationSchema, { maxItems: 1_000 })),
  /** Captures of this server that failed on the host; absent when none did. */
  captures: Type.Optional(Type.Array(CaptureObservationSchema, { maxItems: 100 })),
});
/** What the agent observed of one server. */
export type ServerObservation = Static<typeof ServerObservationSchema>;

/** What the agent did about an orphan under the orphan rule. */
export const ORPHAN_ACTIONS = ["reported", "destroyed"] as const;

/** Schema of {@link OrphanReport}. */
export const OrphanReportSchema = Type.Object({
  vm_id: Type.String({ maxLength: 128 }),
  pid: Type.Optional(Type.Integer({ minimum: 1 })),
  /** What the agent did about it under the orphan rule. */
  action: LiteralUnion(ORPHAN_ACTIONS),
});
/** A QEMU or disk on the host that no server of this host's desired set owns. */
export type OrphanReport = Static<typeof OrphanReportSchema>;

/** Schema of {@link EnergySampleVm}. */
export const EnergySampleVmSchema = Type.Object({
  vm_id: Type.String({ minLength: 1, maxLength: 128 }),
  /** CPU time the VM's QEMU used during the interval, all threads. */
  cpu_time_us: Micro,
  vcpus: Type.Integer({ minimum: 1, maximum: 1024 }),
  /** How long the VM existed during the interval (0..interval). */
  present_us: Micro,
  /**
   * Bytes the guest sent (its tap's rx counter) during the interval. Absent for a VM without
   * a tap (user-mode networking is not metered).
   */
  net_out_bytes: Type.Optional(Micro),
  /** Bytes the guest received (its tap's tx counter) during the interval. */
  net_in_bytes: Type.Optional(Micro),
});
/** One VM's usage over an energy sample's interval (the attribution rule's inputs). */
export type EnergySampleVm = Static<typeof EnergySampleVmSchema>;

/** Schema of {@link EnergySample}. */
export const EnergySampleSchema = Type.Object({
  /** 1, 2, 3, … within one `boot_id`; the controller applies each seq once. */
  seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  start_ms: EpochMs,
  end_ms: EpochMs,
  source: LiteralUnion(["rapl", "hwmon", "model"]),
  /** True when the host figure comes from the power model, not a counter. */
  estimated: Type.Boolean(),
  host_energy_uj: Micro,
  idle_energy_uj: Micro,
  host_cpus: Type.Integer({ minimum: 1, maximum: 65_536 }),
  /**
   * CPU time the whole host was busy during the interval (/proc/stat user, nice, system, irq,
   * softirq, steal over all CPUs), VMs included: active energy is split over it. Absent from
   * agents before issue 14; their samples are split over the VMs' CPU time only.
   */
  host_busy_us: Type.Optional(Micro),
  vms: Type.Array(EnergySampleVmSchema, { maxItems: 10_000 }),
});
/**
 * The host's metered energy over one interval, with what each VM used. The controller
 * attributes it (docs/energy.md) with the site's PUE and adds it to energy buckets.
 */
export type EnergySample = Static<typeof EnergySampleSchema>;

/** Schema of {@link AgentMessage}: every frame an agent may send, told apart by `type`. */
export const AgentMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal("hello"), host: HostFactsSchema }),
  Type.Object({ type: Type.Literal("heartbeat") }),
  Type.Object({
    type: Type.Literal("observed"),
    servers: Type.Array(ServerObservationSchema, { maxItems: 10_000 }),
    orphans: Type.Optional(Type.Array(OrphanReportSchema, { maxItems: 10_000 })),
  }),
  Type.Object({
    type: Type.Literal("console.data"),
    stream_id: Id,
    /** Serial output, base64. */
    data: Type.String({ maxLength: 1_048_576 }),
  }),
  Type.Object({
    type: Type.Literal("console.closed"),
    stream_id: Id,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  Type.Object({
    type: Type.Literal("energy"),
    /** The sampler's lifetime: kernel boot id plus the agent's start time. */
    boot_id: Type.String({ minLength: 1, maxLength: 200 }),
    /** Samples the agent had to drop while the controller was unreachable. */
    dropped: Micro,
    samples: Type.Array(EnergySampleSchema, { maxItems: 1_000 }),
  }),
]);
/** A frame from the agent to the controller. */
export type AgentMessage = Static<typeof AgentMessageSchema>;

/** Schema of {@link ControllerMessage}: every frame the controller may send, told apart by `type`. */
export const ControllerMessageSchema = Type.Union([
  Type.Object({
    type: Type.Literal("welcome"),
    host_id: Id,
    heartbeat_interval_ms: Type.Integer({ minimum: 1 }),
  }),
  Type.Object({ type: Type.Literal("desired"), servers: Type.Array(DesiredServerSchema) }),
  Type.Object({ type: Type.Literal("console.open"), stream_id: Id, server_id: Id }),
  /** Keystrokes for the guest's serial console, base64. */
  Type.Object({ type: Type.Literal("console.input"), stream_id: Id, data: Type.String() }),
  Type.Object({ type: Type.Literal("console.close"), stream_id: Id }),
  /** Every sample of `boot_id` up to `seq` is stored; the agent forgets them. */
  Type.Object({ type: Type.Literal("energy.ack"), boot_id: Type.String({ minLength: 1 }), seq: Seq }),
]);
/** A frame from the controller to the agent. */
export type ControllerMessage = Static<typeof ControllerMessageSchema>;
