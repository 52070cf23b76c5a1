// Core's main entry carries the protocol's types but not its schemas: those load TypeBox, which
// the CLI should not pay for on every command. They are in `@layerboom/core/schemas`.
export * from "./version.js";
export * from "./vm-names.js";
export * from "./capture-methods.js";
export type {
  Accelerator,
  AgentMessage,
  BackupObservation,
  BlobRef,
  CaptureMethod,
  CaptureObservation,
  CaptureUpload,
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
