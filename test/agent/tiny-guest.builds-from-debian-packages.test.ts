import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { ensureTinyGuest } from "@layerboom/testkit";
import { describe, expect, it } from "vitest";

describe("the tiny guest", () => {
  it("is built from Debian's cloud kernel and busybox, cached by input hash", async () => {
    const guest = await ensureTinyGuest();
    expect(guest.kernelPackage).toMatch(/^linux-image-.*-cloud-amd64$/);
    expect(guest.dir).toContain(guest.key);
    for (const part of ["kernel", "initrd", "disk"] as const) {
      const digest = createHash("sha256")
        .update(await readFile(guest[part]))
        .digest("hex");
      expect(digest).toBe(guest.sha256[part]);
    }
    const cpio = gunzipSync(await readFile(guest.initrd)).toString("latin1");
    for (const member of [
      "init",
      "bin/busybox",
      "etc/acpi/PWRF/00000080",
      "lib/modules/button.ko",
      "lib/modules/virtio_net.ko",
    ]) {
      expect(cpio).toContain(`${member}\0`);
    }
    // A second call is served from the cache (the same build, no rebuild).
    const t0 = Date.now();
    expect(await ensureTinyGuest({})).toEqual(guest);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
