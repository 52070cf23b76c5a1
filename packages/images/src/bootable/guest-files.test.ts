import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readGuestFile, resolveInGuest, writeGuestFile } from "./guest-files.js";

describe("guest paths resolve inside the guest, never on the host", () => {
  let root: string;
  let host: string;

  beforeEach(async () => {
    const base = await mkdtemp(join(tmpdir(), "guest-files-"));
    root = join(base, "root");
    host = join(base, "host");
    await mkdir(join(root, "etc"), { recursive: true });
    await mkdir(host);
    await writeFile(join(host, "canary"), "HOST-SECRET\n");
  });
  afterEach(async () => rm(join(root, ".."), { recursive: true, force: true }));

  it("follows an absolute symlink from the guest's root", async () => {
    await mkdir(join(root, "usr/etc"), { recursive: true });
    await writeFile(join(root, "usr/etc/fstab"), "guest fstab\n");
    await symlink("/usr/etc/fstab", join(root, "etc/fstab"));
    expect(await resolveInGuest(root, "etc/fstab")).toBe(join(root, "usr/etc/fstab"));
    expect(await readGuestFile(root, "/etc/fstab")).toBe("guest fstab\n");
  });

  it("does not read or write a host file through a hostile link", async () => {
    // Both an absolute link and a climb with .. stay inside the guest.
    await symlink(join(host, "canary"), join(root, "etc/shadow"));
    await symlink("../../../../../../../../host/canary", join(root, "etc/fstab"));
    expect(await readGuestFile(root, "etc/shadow")).toBeUndefined();
    expect(await readGuestFile(root, "etc/fstab")).toBeUndefined();
    await writeGuestFile(root, "etc/fstab", "written\n");
    expect(await readFile(join(host, "canary"), "utf8")).toBe("HOST-SECRET\n");
    expect(await readFile(join(root, "host/canary"), "utf8")).toBe("written\n");
  });

  it("refuses a link loop", async () => {
    await symlink("/etc/b", join(root, "etc/a"));
    await symlink("/etc/a", join(root, "etc/b"));
    await expect(resolveInGuest(root, "etc/a")).rejects.toMatchObject({ check: "rootfs-link-escape" });
  });
});
