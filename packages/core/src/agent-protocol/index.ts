// Core's main entry carries the protocol's types but not its schemas: those load TypeBox, which
// the CLI should not pay for on every command. They are in `@layerboom/core/schemas`.
export * from "./version.js";
export * from "./vm-names.js";
export type {
  Accelerator,
  AgentMessage,
  BackupObservation,
  BlobRef,
  ControllerMessage,
  DesiredNetwork,
  DesiredServer,
  EnergySample,
  EnergySampleVm,
  HostFacts,
  OrphanReport,
  ServerObservation,
} from "./messages.js";
export type { Decoded } from "./decode.js";
