import { createVerify, type KeyObject } from "node:crypto";
import { asList, parseXmlSafely, textOf } from "../archive/safe-xml.js";
import { type AmiBundleError, quote } from "../errors.js";

/** One encrypted part of a bundle, as the manifest lists it. */
export interface ManifestPart {
  index: number;
  filename: string;
  digest: string;
}

/** A device the bundler mapped (`ec2-bundle-vol --block-device-mapping`, or its defaults). */
export interface BlockDeviceMapping {
  virtual: string;
  device: string;
}

/**
 * What an ec2-ami-tools manifest (version 2007-10-10, ec2-bundle-image and ec2-bundle-vol) says,
 * parsed and with its signature not yet checked.
 */
export interface AmiManifest {
  version: string;
  bundler: { name: string; version: string; release: string } | undefined;
  architecture: string | undefined;
  kernelId: string | undefined;
  ramdiskId: string | undefined;
  /** ec2-bundle-vol's section: which virtual device (ami, root, ephemeral0, swap) is which. */
  blockDeviceMapping: BlockDeviceMapping[];
  productCodes: string[];
  imageName: string;
  imageType: string;
  /** SHA-1 of the tar stream inside the bundle. */
  digest: string;
  /** The image file's size, holes included. */
  size: number;
  userEncryptedKey: Buffer;
  userEncryptedIv: Buffer;
  parts: ManifestPart[];
}

type Fail = (check: AmiBundleError["check"], detail: string, part?: string) => AmiBundleError;

/** The only manifest version the tools have written since 2007. */
export const MANIFEST_VERSION = "2007-10-10";
const PART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const text = (value: unknown): string => textOf(value)?.trim() ?? "";

/** Parses a manifest's XML (DOCTYPE and entities refused) into what the reader needs. */
export function parseAmiManifest(xml: Buffer, maxParts: number, fail: Fail): AmiManifest {
  const doc = parseXmlSafely(xml).manifest as Record<string, unknown> | undefined;
  const image = doc?.image as Record<string, unknown> | undefined;
  if (!doc || !image || Array.isArray(image) || Array.isArray(doc.machine_configuration)) {
    throw fail("ami-manifest", "manifest lacks exactly one <image>");
  }
  const version = text(doc.version);
  if (version !== MANIFEST_VERSION) {
    throw fail("ami-manifest", `manifest version ${quote(version, 40)} is not ${MANIFEST_VERSION}`);
  }
  const hexField = (name: string) => {
    const value = text(image[name]);
    if (!/^[0-9a-fA-F]+$/.test(value)) throw fail("ami-manifest", `<${name}> is missing or not hex`);
    return Buffer.from(value, "hex");
  };
  const machine = (doc.machine_configuration ?? {}) as Record<string, unknown>;
  const bdm = machine.block_device_mapping as { mapping?: unknown } | undefined;
  const blockDeviceMapping = (asList(bdm?.mapping) as Record<string, unknown>[]).map((m) => ({
    virtual: text(m.virtual),
    device: text(m.device),
  }));
  if (blockDeviceMapping.some((m) => m.virtual === "" || m.device === "")) {
    throw fail("ami-manifest", "a <block_device_mapping> entry lacks its virtual name or device");
  }
  const digest = text(image.digest).toLowerCase();
  const size = Number(text(image.size));
  if (!/^[0-9a-f]{40}$/.test(digest) || !/^[0-9]+$/.test(text(image.size)) || !Number.isSafeInteger(size)) {
    throw fail("ami-manifest", "image digest or size is missing");
  }
  const bundler = doc.bundler as Record<string, unknown> | undefined;
  const optional = (value: unknown) => (text(value) === "" ? undefined : text(value));
  const productCodes = machine.product_codes as { product_code?: unknown } | undefined;
  return {
    version,
    bundler: bundler
      ? { name: text(bundler.name), version: text(bundler.version), release: text(bundler.release) }
      : undefined,
    architecture: optional(machine.architecture),
    kernelId: optional(machine.kernel_id),
    ramdiskId: optional(machine.ramdisk_id),
    blockDeviceMapping,
    productCodes: asList(productCodes?.product_code).map(text),
    imageName: text(image.name),
    imageType: text(image.type) || "machine",
    digest,
    size,
    userEncryptedKey: hexField("user_encrypted_key"),
    userEncryptedIv: hexField("user_encrypted_iv"),
    parts: readParts(image, maxParts, fail),
  };
}

/**
 * The signature covers the `<machine_configuration>` and `<image>` elements' exact bytes
 * (manifestv20071010.rb signs their `to_s`), so take them from the text, and insist on exactly
 * one of each so a second, unsigned copy cannot be what the parser reads.
 */
export function verifyManifestSignature(xml: string, signer: KeyObject, fail: Fail): void {
  const machine = xml.match(/<machine_configuration>[\s\S]*?<\/machine_configuration>/g) ?? [];
  const image = xml.match(/<image>[\s\S]*?<\/image>/g) ?? [];
  const signatures = xml.match(/<signature>\s*([0-9a-fA-F]+)\s*<\/signature>/g) ?? [];
  const signature = /<signature>\s*([0-9a-fA-F]+)\s*<\/signature>/.exec(xml)?.[1] ?? "";
  if (machine.length > 1 || image.length !== 1 || signatures.length !== 1) {
    throw fail("ami-signature", "manifest does not have one signed <image> and a hex <signature>");
  }
  const ok = createVerify("RSA-SHA1")
    .update((machine[0] ?? "") + image[0])
    .verify(signer, Buffer.from(signature, "hex"));
  if (!ok)
    throw fail(
      "ami-signature",
      "manifest signature does not verify: the manifest was changed or signed by another key",
    );
}

/** Parts in index order; ec2-ami-tools names them `<name>.part.0` (older) or `<name>.part.00`. */
function readParts(image: Record<string, unknown>, maxParts: number, fail: Fail): ManifestPart[] {
  const list = asList((image.parts as { part?: unknown } | undefined)?.part) as Record<string, unknown>[];
  if (list.length === 0 || list.length > maxParts)
    throw fail("ami-manifest", `manifest lists ${list.length} parts`);
  const parts = list.map((p) => ({
    index: /^[0-9]{1,9}$/.test(String(p["@index"])) ? Number(p["@index"]) : -1,
    filename: text(p.filename),
    digest: text(p.digest).toLowerCase(),
  }));
  parts.sort((a, b) => a.index - b.index);
  parts.forEach((p, i) => {
    if (p.index !== i) throw fail("ami-manifest", `part indexes are not 0..${parts.length - 1}`);
    if (!PART_NAME.test(p.filename)) {
      throw fail(
        "ami-part-filename",
        `part ${i} file name ${quote(p.filename)} is not a plain file name`,
        p.filename,
      );
    }
    if (!/^[0-9a-f]{40}$/.test(p.digest)) throw fail("ami-manifest", `part ${i} has no SHA-1 digest`);
  });
  if (new Set(parts.map((p) => p.filename)).size !== parts.length) {
    throw fail("ami-manifest", "two parts name the same file");
  }
  return parts;
}
