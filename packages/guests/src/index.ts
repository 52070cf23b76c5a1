export { ensureTinyGuest, compileTinyGuestOptions, TINY_DEFAULT_APPEND } from "./tiny-guest.js";
export type { TinyGuest, TinyGuestOptions, CompiledTinyGuestOptions } from "./tiny-guest.js";
export { ensureTinyBootableDisk } from "./tiny-bootable-disk.js";
export type { TinyBootableDisk } from "./tiny-bootable-disk.js";
export {
  TINY_READY_PREFIX,
  TINY_READY_PATTERN,
  TINY_POWEROFF_LINE,
  TINY_WANTED_MODULES,
  parseTinyReadyLine,
} from "./tiny-init.js";
export { ensureDebianGuest, compileDebianGuestOptions } from "./debian-guest.js";
export {
  DEBIAN_DEFAULT_APPEND,
  DEBIAN_DEFAULT_USER,
  DEBIAN_GUEST_PACKAGES,
  DEBIAN_READY_PATTERN,
  DEBIAN_READY_PREFIX,
} from "./debian-recipe.js";
export { findDebianMirror, debianMirrorIn } from "./debian-mirror.js";
export type { DebianGuest, DebianGuestOptions, CompiledDebianGuestOptions } from "./debian-guest.js";
export { guestImageFiles } from "./image-files.js";
