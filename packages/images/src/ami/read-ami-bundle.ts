import {
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  createVerify,
  type KeyObject,
} from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { createDecompressionGuard } from "../archive/decompress.js";
import { extractTar } from "../archive/safe-extract.js";
import { asList, parseXmlSafely, textOf } from "../archive/safe-xml.js";
import { AmiBundleError, ArchiveRejectedError, quote } from "../errors.js";
import { rsaDecryptPkcs1v15 } from "./rsa-pkcs1.js";

/** How to open an AMI bundle. */
export interface AmiBundleOptions {
  /** The user's private key (PEM or KeyObject): it decrypts the bundle key and IV. */
  privateKey: string | KeyObject;
  /** The key the manifest signature must verify with; default: the public half of `privateKey`. */
  signerPublicKey?: string | KeyObject;
  /** Largest image accepted. Default 64 GiB. */
  maxImageBytes?: number;
  /** Gzip ratio cap for the payload. Default 1100 (deflate's limit), since a bundle's size is already signed. */
  maxRatio?: number;
  /** Most parts accepted. Default 10 000. */
  maxParts?: number;
}

/** AmiBundleOptions with defaults filled in. */
export interface CompiledAmiBundleOptions {
  privateKey: KeyObject;
  signerPublicKey: KeyObject;
  maxImageBytes: number;
  maxRatio: number;
  maxParts: number;
}

/** Fills defaults; parses the keys once. */
export function compileAmiBundleOptions(options: AmiBundleOptions): CompiledAmiBundleOptions {
  const privateKey =
    typeof options.privateKey === "string" ? createPrivateKey(options.privateKey) : options.privateKey;
  const signer = options.signerPublicKey ?? privateKey;
  return {
    privateKey,
    signerPublicKey: typeof signer === "string" ? createPublicKey(signer) : createPublicKey(signer),
    maxImageBytes: options.maxImageBytes ?? 64 * 1024 ** 3,
    maxRatio: options.maxRatio ?? 1100,
    maxParts: options.maxParts ?? 10_000,
  };
}

/** The image recovered from a bundle. */
export interface AmiBundleImage {
  imagePath: string;
  imageName: string;
  size: number;
  sha1: string;
  parts: number;
}

interface ManifestPart {
  index: number;
  filename: string;
  digest: string;
}

const PART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

async function sha1File(path: string): Promise<string> {
  const hash = createHash("sha1");
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Opens an ec2-bundle-image bundle: decrypts the key and IV with the user's key, verifies the
 * manifest signature and every part's SHA-1, then streams parts → AES-128-CBC → gunzip → tar
 * into `destination` (an empty folder), checking the image's SHA-1 and size. Nothing is held in
 * memory beyond stream buffers.
 */
export async function extractAmiBundle(
  manifestPath: string,
  destination: string,
  options: AmiBundleOptions,
): Promise<AmiBundleImage> {
  const opts = compileAmiBundleOptions(options);
  const fail = (check: AmiBundleError["check"], detail: string, part?: string) =>
    new AmiBundleError(check, manifestPath, detail, part);
  const text = await readFile(manifestPath);
  if (text.length > 1024 * 1024) throw fail("ami-manifest", "manifest is larger than 1 MiB");
  const doc = parseXmlSafely(text).manifest as Record<string, unknown> | undefined;
  const image = doc?.image as Record<string, unknown> | undefined;
  if (!doc || !image || Array.isArray(image) || Array.isArray(doc.machine_configuration)) {
    throw fail("ami-manifest", "manifest lacks exactly one <image>");
  }
  const hexField = (name: string) => {
    const value = textOf(image[name])?.trim() ?? "";
    if (!/^[0-9a-fA-F]+$/.test(value)) throw fail("ami-manifest", `<${name}> is missing or not hex`);
    return Buffer.from(value, "hex");
  };
  const key = rsaDecryptPkcs1v15(opts.privateKey, hexField("user_encrypted_key"));
  const iv = rsaDecryptPkcs1v15(opts.privateKey, hexField("user_encrypted_iv"));
  const keyText = key?.toString("latin1") ?? "";
  const ivText = iv?.toString("latin1") ?? "";
  if (!/^[0-9a-f]{32}$/i.test(keyText) || !/^[0-9a-f]{32}$/i.test(ivText)) {
    throw fail("ami-wrong-key", "the private key does not decrypt the bundle key and IV");
  }
  verifySignature(text.toString("utf8"), doc, opts.signerPublicKey, fail);

  const parts = readParts(image, opts.maxParts, fail);
  const dir = dirname(manifestPath);
  for (const part of parts) {
    const path = join(dir, part.filename);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile())
      throw fail("ami-part-missing", `part ${part.index} ${quote(part.filename)} is missing`, part.filename);
    if ((await sha1File(path)) !== part.digest) {
      throw fail(
        "ami-part-digest",
        `part ${part.index} ${quote(part.filename)} does not match its SHA-1`,
        part.filename,
      );
    }
  }
  const expectedDigest = textOf(image.digest)?.trim().toLowerCase() ?? "";
  const expectedSize = Number(textOf(image.size));
  if (!/^[0-9a-f]{40}$/.test(expectedDigest) || !Number.isSafeInteger(expectedSize) || expectedSize < 0) {
    throw fail("ami-manifest", "image digest or size is missing");
  }
  if (expectedSize > opts.maxImageBytes)
    throw fail("ami-image-size", `image of ${expectedSize} bytes is above the cap`);

  const hash = createHash("sha1");
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  async function* concatenated() {
    for (const part of parts)
      yield* createReadStream(join(dir, part.filename), { highWaterMark: 1024 * 1024 });
  }
  const guard = createDecompressionGuard({
    maxOutputBytes: opts.maxImageBytes + 1024 * 1024,
    maxRatio: opts.maxRatio,
  });
  const decipher = createDecipheriv("aes-128-cbc", Buffer.from(keyText, "hex"), Buffer.from(ivText, "hex"));
  const pump = pipeline(
    Readable.from(concatenated()),
    decipher,
    guard.input,
    createGunzip(),
    guard.output,
    tap,
  ).then(
    () => undefined,
    (err: unknown) => err,
  );
  let entries;
  try {
    entries = await extractTar(tap, destination, {
      allowSymlinks: false,
      allowHardlinks: false,
      maxEntries: 16,
    });
  } catch (err) {
    const pumpError = await pump;
    if (err instanceof ArchiveRejectedError && err.check !== "archive-malformed") throw err;
    throw pumpError ? mapStreamError(pumpError, fail) : err;
  }
  const pumpError = await pump;
  if (pumpError) throw mapStreamError(pumpError, fail);
  const files = entries.filter((e) => e.type === "file");
  if (files.length !== 1 || entries.length !== 1) {
    throw fail("ami-payload", `bundle holds ${entries.length} entries, expected one image file`);
  }
  const file = files[0]!;
  const sha1 = hash.digest("hex");
  if (sha1 !== expectedDigest) {
    await rm(file.path, { force: true });
    throw fail("ami-image-digest", "image SHA-1 does not match the manifest");
  }
  if (file.size !== expectedSize) {
    await rm(file.path, { force: true });
    throw fail("ami-image-size", `image is ${file.size} bytes, the manifest says ${expectedSize}`);
  }
  return { imagePath: file.path, imageName: file.name, size: file.size, sha1, parts: parts.length };
}

function verifySignature(
  text: string,
  doc: Record<string, unknown>,
  signer: KeyObject,
  fail: (check: AmiBundleError["check"], detail: string) => AmiBundleError,
): void {
  // The signature covers the elements' exact bytes, so take them from the text, and insist on
  // exactly one of each so a second, unsigned copy cannot be what the parser reads.
  const machine = text.match(/<machine_configuration>[\s\S]*?<\/machine_configuration>/g) ?? [];
  const image = text.match(/<image>[\s\S]*?<\/image>/g) ?? [];
  const signature = textOf(doc.signature)?.trim() ?? "";
  if (machine.length > 1 || image.length !== 1 || !/^[0-9a-fA-F]+$/.test(signature)) {
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

function readParts(
  image: Record<string, unknown>,
  maxParts: number,
  fail: (check: AmiBundleError["check"], detail: string, part?: string) => AmiBundleError,
): ManifestPart[] {
  const list = asList((image.parts as { part?: unknown } | undefined)?.part) as Record<string, unknown>[];
  if (list.length === 0 || list.length > maxParts)
    throw fail("ami-manifest", `manifest lists ${list.length} parts`);
  const parts = list.map((p) => ({
    index: Number(p["@index"]),
    filename: textOf(p.filename)?.trim() ?? "",
    digest: textOf(p.digest)?.trim().toLowerCase() ?? "",
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
  return parts;
}

function mapStreamError(
  err: unknown,
  fail: (check: AmiBundleError["check"], detail: string) => AmiBundleError,
): Error {
  if (err instanceof ArchiveRejectedError || err instanceof AmiBundleError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code?.startsWith("ERR_OSSL") || /decrypt/i.test(e.message ?? "")) {
    return fail("ami-decrypt", "payload does not decrypt with the bundle key");
  }
  return fail("ami-payload", `payload is not a gzip'd tar: ${e.code ?? "error"}`);
}
