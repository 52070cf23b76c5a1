export { renderNocloudSeed, writeNocloudSeed, removeNocloudSeed, nocloudSeedHash } from "./nocloud-seed.js";
export type {
  NocloudSeedInput,
  NocloudSeedFiles,
  NocloudStaticNetwork,
  WriteNocloudSeedOptions,
  WrittenSeed,
} from "./nocloud-seed.js";
export { SeedInputError } from "./errors.js";
