import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * The first `deb` source in `/etc/apt/sources.list` or `/etc/apt/sources.list.d/*` (one-line
 * and deb822 formats) that carries `suite` exactly, e.g. `http://deb.debian.org/debian` for
 * bookworm (and not the debian-security source, whose suites are `bookworm-security`).
 */
export async function findDebianMirror(suite: string, aptDir = "/etc/apt"): Promise<string> {
  const files = [join(aptDir, "sources.list")];
  const listDir = join(aptDir, "sources.list.d");
  for (const name of (await readdir(listDir).catch(() => [] as string[])).sort()) {
    if (name.endsWith(".list") || name.endsWith(".sources")) files.push(join(listDir, name));
  }
  for (const file of files) {
    const text = await readFile(file, "utf8").catch(() => "");
    const mirror = debianMirrorIn(text, suite, file.endsWith(".sources"));
    if (mirror) return mirror;
  }
  throw new Error(`no apt source in ${aptDir} carries ${suite}; pass the mirror option`);
}

/** The first `deb` URI in one sources file (one-line or deb822 format) that carries `suite`. Pure. */
export function debianMirrorIn(text: string, suite: string, deb822: boolean): string | undefined {
  const usable = (uri: string): boolean => /^(https?|file):\/\//.test(uri);
  if (!deb822) {
    for (const raw of text.split("\n")) {
      const line = raw
        .replace(/#.*/, "")
        .replace(/\[[^\]]*\]/, " ")
        .trim();
      const [type, uri, dist] = line.split(/\s+/);
      if (type === "deb" && uri && dist === suite && usable(uri)) return uri.replace(/\/+$/, "");
    }
    return undefined;
  }
  for (const paragraph of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of paragraph.split("\n")) {
      if (line.startsWith("#")) continue;
      if (/^\s/.test(line) && last) {
        fields.set(last, `${fields.get(last) ?? ""} ${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (m?.[1] && m[2] !== undefined) {
        last = m[1].toLowerCase();
        fields.set(last, m[2].trim());
      }
    }
    const words = (name: string): string[] => (fields.get(name) ?? "").split(/\s+/).filter(Boolean);
    if (fields.get("enabled")?.toLowerCase() === "no") continue;
    if (!words("types").includes("deb") || !words("suites").includes(suite)) continue;
    const uri = words("uris").find(usable);
    if (uri) return uri.replace(/\/+$/, "");
  }
  return undefined;
}
