import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkRootfsTar } from "@layerboom/images";
import { buildTar } from "@layerboom/testkit";
import type { TarMember } from "@layerboom/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const LINUX_TOP: TarMember[] = [
  { name: "./", type: "dir" },
  { name: "./etc/", type: "dir" },
  { name: "./etc/hostname", body: Buffer.from("guest\n") },
  { name: "./bin/", type: "dir" },
  { name: "./usr/", type: "dir" },
];

/**
 * A root filesystem tarball is unpacked by GNU tar (it keeps owners, set-id bits and xattrs,
 * which our own extractor drops on purpose), so every header is read and judged first.
 */
describe("a root filesystem tarball is checked before anything is unpacked", () => {
  let dir: string;
  let n = 0;
  const tarOf = async (members: TarMember[]) => {
    const path = join(dir, `t${n++}.tar`);
    await writeFile(path, buildTar(members));
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rootfs-tar-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("accepts a root filesystem with absolute symlinks, hard links and systemd's escaped names", async () => {
    const path = await tarOf([
      ...LINUX_TOP,
      { name: "./etc/localtime", type: "symlink", linkname: "/usr/share/zoneinfo/Etc/UTC" },
      { name: "./usr/lib/", type: "dir" },
      { name: "./usr/lib/system-systemd\\x2dcryptsetup.slice", body: Buffer.from("[Unit]\n") },
      { name: "./bin/sh", body: Buffer.from("#!") },
      { name: "./bin/dash", type: "hardlink", linkname: "./bin/sh" },
    ]);
    expect(await checkRootfsTar(path)).toMatchObject({ entries: 10 });
  });

  it.each([
    ["an absolute name", [{ name: "/etc/cron.d/evil", body: Buffer.from("x") }], "archive-absolute-path"],
    ["a climb with ..", [{ name: "./etc/../../evil", body: Buffer.from("x") }], "archive-path-traversal"],
    [
      "an entry below a symlink",
      [
        { name: "./lib", type: "symlink", linkname: "/etc" },
        { name: "./lib/passwd", body: Buffer.from("x") },
      ],
      "archive-path-through-link",
    ],
    [
      "a hard link to a symlink",
      [
        { name: "./etc/l", type: "symlink", linkname: "/etc/shadow" },
        { name: "./etc/h", type: "hardlink", linkname: "./etc/l" },
      ],
      "archive-hardlink-to-link",
    ],
    [
      "a hard link to a host path",
      [{ name: "./etc/h", type: "hardlink", linkname: "/etc/shadow" }],
      "archive-absolute-path",
    ],
    ["a device node", [{ name: "./dev/sda", type: "block" }], "archive-entry-type"],
    ["a fifo", [{ name: "./run/fifo", type: "fifo" }], "archive-entry-type"],
    [
      "a duplicate file",
      [
        { name: "./etc/x", body: Buffer.from("1") },
        { name: "./etc/x", body: Buffer.from("2") },
      ],
      "archive-duplicate-entry",
    ],
  ] as const)("refuses %s, naming the check", async (_what, members, check) => {
    const path = await tarOf([...LINUX_TOP, ...(members as readonly TarMember[])]);
    await expect(checkRootfsTar(path)).rejects.toMatchObject({ check });
  });

  it("refuses a tarball that is not a root filesystem", async () => {
    const path = await tarOf([{ name: "./notes.txt", body: Buffer.from("hello") }]);
    await expect(checkRootfsTar(path)).rejects.toMatchObject({ check: "rootfs-not-linux" });
  });
});
