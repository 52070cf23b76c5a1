export { makeBootableDisk } from "./make-bootable.js";
export type { BootableDisk, MakeBootableOptions } from "./make-bootable.js";
export { checkRootfsTar, isExtFilesystem, stageRootfs } from "./stage-rootfs.js";
export type { RootfsSource } from "./stage-rootfs.js";
export {
  PASSWORD_HASH,
  extlinuxConfig,
  parseMenuLst,
  rewriteFstab,
  rewriteInittab,
  setRootPassword,
} from "./guest-config.js";
export { readGuestFile, resolveInGuest, writeGuestFile } from "./guest-files.js";
export { installKvmKernel } from "./kvm-kernel.js";
export type { KvmKernelOptions } from "./kvm-kernel.js";
export { ensureDeb, resolveKernelPackage } from "./debian-kernel.js";
export { moduleDependencies, moduleLoadOrder } from "./kernel-modules.js";
