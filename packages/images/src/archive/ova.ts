import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { ArchiveRejectedError, quote } from "../errors.js";
import type { ArchiveOptions } from "./options.js";
import { extractTar, type ExtractedEntry } from "./safe-extract.js";
import { asList, parseXmlSafely } from "./safe-xml.js";

/** One disk described by an OVF. */
export interface OvaDisk {
  href: string;
  path: string;
  capacityBytes: number | undefined;
  /** The ovf:format URI, e.g. the streamOptimized VMDK one. */
  format: string | undefined;
}

/** An unpacked and checked OVA. */
export interface OvaPackage {
  ovfPath: string;
  descriptor: Record<string, unknown>;
  disks: OvaDisk[];
  /** True when a manifest was present and every digest in it matched. */
  manifestVerified: boolean;
}

const UNITS: Record<string, number> = {
  byte: 1,
  "byte * 2^10": 1024,
  "byte * 2^20": 1024 ** 2,
  "byte * 2^30": 1024 ** 3,
  "byte * 2^40": 1024 ** 4,
};

async function digestFile(path: string, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Unpacks an OVA into `destination` (files only: no links, no devices), parses its OVF without
 * DTDs or entities, resolves each disk reference to a member of the archive and checks the
 * manifest digests. The disks still have to pass the image inspector.
 */
export async function readOva(
  ovaPath: string,
  destination: string,
  options: ArchiveOptions = {},
): Promise<OvaPackage> {
  const entries = await extractTar(createReadStream(ovaPath), destination, {
    ...options,
    allowSymlinks: false,
    allowHardlinks: false,
  });
  const files = new Map<string, ExtractedEntry>(
    entries.filter((e) => e.type === "file").map((e) => [e.name, e]),
  );
  const ovfs = [...files.values()].filter(
    (e) => e.name.toLowerCase().endsWith(".ovf") && !e.name.includes("/"),
  );
  if (ovfs.length !== 1)
    throw new ArchiveRejectedError(
      "ova-descriptor",
      `expected one .ovf at the top level, found ${ovfs.length}`,
    );
  const ovf = ovfs[0]!;
  const descriptor = parseXmlSafely(await readFile(ovf.path));
  type Attrs = Record<string, string>;
  const envelope = descriptor.Envelope as
    { References?: { File?: Attrs | Attrs[] }; DiskSection?: { Disk?: Attrs | Attrs[] } } | undefined;
  if (!envelope) throw new ArchiveRejectedError("ova-descriptor", "OVF has no Envelope");
  const refs = new Map<string, string>();
  for (const file of asList(envelope.References?.File)) {
    const href = file["@href"] ?? "";
    if (href === "" || href.includes("/") || href.includes("\\") || href.includes(":") || !files.has(href)) {
      throw new ArchiveRejectedError(
        "ova-disk-reference",
        `OVF file reference ${quote(href)} is not a member of the archive`,
        href,
      );
    }
    refs.set(file["@id"] ?? "", href);
  }
  const disks: OvaDisk[] = [];
  for (const disk of asList(envelope.DiskSection?.Disk)) {
    const href = refs.get(disk["@fileRef"] ?? "");
    if (href === undefined)
      throw new ArchiveRejectedError(
        "ova-disk-reference",
        `disk ${quote(disk["@diskId"] ?? "")} has no file`,
      );
    const capacity = Number(disk["@capacity"]);
    const unit = UNITS[disk["@capacityAllocationUnits"] ?? "byte"];
    disks.push({
      href,
      path: files.get(href)!.path,
      capacityBytes: Number.isFinite(capacity) && unit !== undefined ? capacity * unit : undefined,
      format: disk["@format"],
    });
  }
  if (disks.length === 0) throw new ArchiveRejectedError("ova-descriptor", "OVF describes no disks");
  const manifestVerified = await verifyManifest(files);
  return { ovfPath: ovf.path, descriptor, disks, manifestVerified };
}

async function verifyManifest(files: Map<string, ExtractedEntry>): Promise<boolean> {
  const manifest = [...files.values()].find(
    (e) => e.name.toLowerCase().endsWith(".mf") && !e.name.includes("/"),
  );
  if (!manifest) return false;
  const text = await readFile(manifest.path, "utf8");
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const m = /^(SHA1|SHA256|SHA512)\s*\(([^)]+)\)\s*=\s*([0-9a-fA-F]+)\s*$/.exec(line.trim());
    if (!m) throw new ArchiveRejectedError("ova-manifest-digest", `manifest line is not ALG(name)= digest`);
    const [, alg, name, digest] = m;
    const member = files.get(name!);
    if (!member)
      throw new ArchiveRejectedError(
        "ova-manifest-digest",
        `manifest names ${quote(name!)}, which is not in the archive`,
        name,
      );
    const actual = await digestFile(member.path, alg!.toLowerCase());
    if (actual !== digest!.toLowerCase()) {
      throw new ArchiveRejectedError(
        "ova-manifest-digest",
        `${alg} of ${quote(name!)} does not match the manifest`,
        name,
      );
    }
  }
  return true;
}
