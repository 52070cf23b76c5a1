import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { debianMirrorIn, findDebianMirror } from "./debian-mirror.js";

describe("debianMirrorIn", () => {
  it("takes the first deb line of a one-line sources file that carries the suite exactly", () => {
    const text = [
      "# deb http://old.example/debian bookworm main",
      "deb-src http://src.example/debian bookworm main",
      "deb http://security.debian.org/debian-security bookworm-security main",
      "deb [arch=amd64 signed-by=/k.gpg] http://deb.debian.org/debian/ bookworm main contrib",
      "deb http://second.example/debian bookworm main",
    ].join("\n");
    expect(debianMirrorIn(text, "bookworm", false)).toBe("http://deb.debian.org/debian");
  });

  it("reads deb822 paragraphs, skipping disabled ones and unusable URIs", () => {
    const text = [
      "Types: deb",
      "URIs: http://disabled.example/debian",
      "Suites: bookworm",
      "Enabled: no",
      "",
      "Types: deb deb-src",
      "URIs: cdrom:[Debian]/ https://mirror.example/debian/",
      "Suites: bookworm bookworm-updates",
      "Components: main",
    ].join("\n");
    expect(debianMirrorIn(text, "bookworm", true)).toBe("https://mirror.example/debian");
    expect(debianMirrorIn(text, "trixie", true)).toBeUndefined();
  });
});

describe("findDebianMirror", () => {
  it("looks in sources.list, then sources.list.d in name order, and names the suite when none carries it", async () => {
    const apt = await mkdtemp(join(tmpdir(), "lb-apt-"));
    try {
      await mkdir(join(apt, "sources.list.d"));
      await writeFile(join(apt, "sources.list"), "deb http://security.example/ bookworm-security main\n");
      await writeFile(
        join(apt, "sources.list.d", "debian.sources"),
        "Types: deb\nURIs: http://deb.example/debian\nSuites: bookworm\n",
      );
      expect(await findDebianMirror("bookworm", apt)).toBe("http://deb.example/debian");
      await expect(findDebianMirror("trixie", apt)).rejects.toThrow(/carries trixie/);
    } finally {
      await rm(apt, { recursive: true, force: true });
    }
  });
});
