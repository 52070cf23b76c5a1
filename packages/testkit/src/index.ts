export * from "./databases.js";
export * from "./guests/index.js";
export { generateHostileCorpus } from "./hostile/corpus.js";
export type { HostileFixture, HostileKind } from "./hostile/corpus.js";
export { buildTar } from "./hostile/tar-writer.js";
export type { TarMember } from "./hostile/tar-writer.js";
export * from "./hostile/disk-headers.js";
export { makeAmiBundle, makeRsaKeyPair } from "./ami/make-ami-bundle.js";
export type { AmiBundle, AmiBundleSpec, PemKeyPair } from "./ami/make-ami-bundle.js";
