/** A built guest's files in the shape the image catalog takes them (`catalogImageFromFiles`). */
export function guestImageFiles(guest: {
  disk: string;
  diskFormat: "raw" | "qcow2";
  kernel: string;
  initrd: string;
  append: string;
}): { disk: string; diskFormat: "raw" | "qcow2"; kernel: string; initrd: string; kernelAppend: string } {
  return {
    disk: guest.disk,
    diskFormat: guest.diskFormat,
    kernel: guest.kernel,
    initrd: guest.initrd,
    kernelAppend: guest.append,
  };
}
