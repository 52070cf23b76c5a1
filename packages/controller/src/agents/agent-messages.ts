import type { AgentMessage } from "@layerboom/core";
import { Type, type Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";

const Id = Type.String({ minLength: 1, maxLength: 128 });
const ObservedState = Type.Union(
  ["provisioning", "running", "stopping", "stopped", "rebooting", "deleting", "deleted", "error"].map((s) =>
    Type.Literal(s),
  ),
);
const Accel = Type.Union([Type.Literal("kvm"), Type.Literal("tcg")]);
const Count = Type.Integer({ minimum: 0, maximum: 2 ** 40 });
const Micro = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const EpochMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });

const AgentMessageSchema = Type.Union([
  Type.Object({
    type: Type.Literal("hello"),
    host: Type.Object({
      hostname: Type.String({ maxLength: 255 }),
      agent_version: Type.String({ maxLength: 64 }),
      protocol_version: Type.Integer(),
      accelerator: Accel,
      cores: Count,
      memory_mib: Count,
      disk_gib: Count,
      bridges: Type.Optional(
        Type.Array(Type.String({ pattern: "^[A-Za-z0-9_.-]{1,15}$" }), { maxItems: 64 }),
      ),
    }),
  }),
  Type.Object({ type: Type.Literal("heartbeat") }),
  Type.Object({
    type: Type.Literal("observed"),
    servers: Type.Array(
      Type.Object({
        server_id: Id,
        state: ObservedState,
        generation: Type.Integer({ minimum: 0 }),
        ssh_host_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
        accelerator: Type.Optional(Accel),
        error: Type.Optional(Type.String({ maxLength: 2000 })),
        backups: Type.Optional(
          Type.Array(
            Type.Object({
              backup_id: Id,
              state: Type.Union([Type.Literal("available"), Type.Literal("failed")]),
              size_bytes: Micro,
              error: Type.Optional(Type.String({ maxLength: 2000 })),
            }),
            { maxItems: 1_000 },
          ),
        ),
      }),
      { maxItems: 10_000 },
    ),
    orphans: Type.Optional(
      Type.Array(
        Type.Object({
          vm_id: Type.String({ maxLength: 128 }),
          pid: Type.Optional(Type.Integer({ minimum: 1 })),
          action: Type.Union([Type.Literal("reported"), Type.Literal("destroyed")]),
        }),
        { maxItems: 10_000 },
      ),
    ),
  }),
  Type.Object({
    type: Type.Literal("console.data"),
    stream_id: Id,
    data: Type.String({ maxLength: 1_048_576 }),
  }),
  Type.Object({
    type: Type.Literal("console.closed"),
    stream_id: Id,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  Type.Object({
    type: Type.Literal("energy"),
    boot_id: Type.String({ minLength: 1, maxLength: 200 }),
    dropped: Micro,
    samples: Type.Array(
      Type.Object({
        seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
        start_ms: EpochMs,
        end_ms: EpochMs,
        source: Type.Union([Type.Literal("rapl"), Type.Literal("hwmon"), Type.Literal("model")]),
        estimated: Type.Boolean(),
        host_energy_uj: Micro,
        idle_energy_uj: Micro,
        host_cpus: Type.Integer({ minimum: 1, maximum: 65_536 }),
        vms: Type.Array(
          Type.Object({
            vm_id: Type.String({ minLength: 1, maxLength: 128 }),
            cpu_time_us: Micro,
            vcpus: Type.Integer({ minimum: 1, maximum: 1024 }),
            present_us: Micro,
            net_out_bytes: Type.Optional(Micro),
            net_in_bytes: Type.Optional(Micro),
          }),
          { maxItems: 10_000 },
        ),
      }),
      { maxItems: 1_000 },
    ),
  }),
]);

const checker = TypeCompiler.Compile(AgentMessageSchema);

// The schema and the protocol type in core must describe the same messages.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesProtocol: Same<Static<typeof AgentMessageSchema>["type"], AgentMessage["type"]> = true;
void _schemaMatchesProtocol;
type ObservedFrame = Extract<Static<typeof AgentMessageSchema>, { type: "observed" }>;
const _observationMatches: Same<
  ObservedFrame["servers"][number]["backups"],
  Extract<AgentMessage, { type: "observed" }>["servers"][number]["backups"]
> = true;
void _observationMatches;

/** Parses and validates one frame from an agent; undefined when it is not a valid message. */
export function parseAgentMessage(text: string): AgentMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return checker.Check(value) ? (value as AgentMessage) : undefined;
}
