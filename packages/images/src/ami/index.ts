export { compileAmiBundleOptions, extractAmiBundle } from "./read-ami-bundle.js";
export type { AmiBundleImage, AmiBundleOptions, CompiledAmiBundleOptions } from "./read-ami-bundle.js";
export { MANIFEST_VERSION, parseAmiManifest, verifyManifestSignature } from "./manifest.js";
export type { AmiManifest, BlockDeviceMapping, ManifestPart } from "./manifest.js";
export { rsaDecryptPkcs1v15 } from "./rsa-pkcs1.js";
