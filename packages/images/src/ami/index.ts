export { compileAmiBundleOptions, extractAmiBundle } from "./read-ami-bundle.js";
export type { AmiBundleImage, AmiBundleOptions, CompiledAmiBundleOptions } from "./read-ami-bundle.js";
export { rsaDecryptPkcs1v15 } from "./rsa-pkcs1.js";
