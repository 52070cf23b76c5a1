export {
  probeAccelerator,
  selectAccelerator,
  resetAcceleratorCache,
  tryAccelerator,
  probeArgs,
  compileAcceleratorProbeOptions,
} from "./accel-probe.js";
export type {
  ProbeGuest,
  AcceleratorProbeOptions,
  CompiledAcceleratorProbeOptions,
  AcceleratorProbeResult,
  AcceleratorTrial,
} from "./accel-probe.js";
