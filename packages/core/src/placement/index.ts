export * from "./errors.js";
export { compilePlacementPolicy, DEFAULT_PLACEMENT_POLICY } from "./policy.js";
export type { PlacementPolicy, PlacementPolicyOptions } from "./policy.js";
export { fitsOn, freeCapacity } from "./capacity.js";
export type { FitResult, HostCapacity, HostState, PlacementResource, ResourceAmounts } from "./capacity.js";
export type { PlacementShortage, PlacementShortageDetails, PlacementShortageReason } from "./shortage.js";
export { placeServer } from "./placement.js";
export type { PlacementOptions, PlacementRequest, PlacementResult, PlacementStrategy } from "./placement.js";
