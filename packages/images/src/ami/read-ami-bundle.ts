import { createDecipheriv, createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { createDecompressionGuard } from "../archive/decompress.js";
import { extractImageMember } from "../archive/extract-image-member.js";
import type { SparseForm } from "../archive/sparse-map.js";
import { isExtFilesystem } from "../bootable/stage-rootfs.js";
import { readPartitionTable } from "../inspect/partition-table.js";
import { openFileReader } from "../inspect/region-reader.js";
import { AmiBundleError, ArchiveRejectedError, quote } from "../errors.js";
import { parseAmiManifest, verifyManifestSignature, type AmiManifest } from "./manifest.js";
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
  /** Size in bytes, holes included (the manifest's `<size>`). */
  size: number;
  /** Bytes of data the bundle's tar stored for it: less than `size` when tar kept it sparse. */
  storedBytes: number;
  /** The sparse form of the tar member (`tar -S` writes one), or undefined for a plain member. */
  sparseForm: SparseForm | undefined;
  /** What the image holds: a bare filesystem (ec2-bundle-image, ec2-bundle-vol) or a partitioned disk (`ec2-bundle-vol --partition`). */
  layout: "filesystem" | "partitioned-disk" | "unknown";
  sha1: string;
  parts: number;
  manifest: Omit<AmiManifest, "userEncryptedKey" | "userEncryptedIv" | "parts">;
}

async function sha1File(path: string): Promise<string> {
  const hash = createHash("sha1");
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function imageLayout(path: string): Promise<AmiBundleImage["layout"]> {
  const reader = await openFileReader(path);
  try {
    if (isExtFilesystem(await reader.read(0, 2048))) return "filesystem";
    return (await readPartitionTable(reader)) ? "partitioned-disk" : "unknown";
  } finally {
    await reader.close();
  }
}

/**
 * Opens a bundle as ec2-bundle-image and ec2-bundle-vol write it: decrypts the key and IV with
 * the user's key, verifies the manifest signature and every part's SHA-1, then streams parts →
 * AES-128-CBC → gunzip → tar into `destination` (an empty folder), checking the image's SHA-1
 * and size. The tar member may be sparse in any form GNU tar or bsdtar writes (`tar -S`, as
 * the tools run it): its holes stay holes, so a 2 GiB filesystem holding 20 MiB costs 20 MiB
 * of disk and of writes. Nothing is held in memory beyond stream buffers, and on any refusal
 * the partial image is removed.
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
  const manifest = parseAmiManifest(text, opts.maxParts, fail);
  const key = rsaDecryptPkcs1v15(opts.privateKey, manifest.userEncryptedKey);
  const iv = rsaDecryptPkcs1v15(opts.privateKey, manifest.userEncryptedIv);
  const keyText = key?.toString("latin1") ?? "";
  const ivText = iv?.toString("latin1") ?? "";
  if (!/^[0-9a-f]{32}$/i.test(keyText) || !/^[0-9a-f]{32}$/i.test(ivText)) {
    throw fail("ami-wrong-key", "the private key does not decrypt the bundle key and IV");
  }
  verifyManifestSignature(text.toString("utf8"), opts.signerPublicKey, fail);

  const { parts } = manifest;
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
  const expectedSize = manifest.size;
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
  // The ratio is of the tar stream (holes already left out by tar -S) over the bundle.
  const guard = createDecompressionGuard({
    maxOutputBytes: opts.maxImageBytes + 1024 * 1024,
    maxRatio: opts.maxRatio,
  });
  const decipher = createDecipheriv("aes-128-cbc", Buffer.from(keyText, "hex"), Buffer.from(ivText, "hex"));
  const pump = pipeline(
    Readable.from(concatenated()),
    decipher,
    guard.input,
    createGunzip({ chunkSize: 256 * 1024 }),
    guard.output,
    tap,
  ).then(
    () => undefined,
    (err: unknown) => err,
  );
  let extracted;
  try {
    extracted = await extractImageMember(tap, destination, {
      maxMemberBytes: opts.maxImageBytes,
      checkMember: (member) => {
        if (member.size !== expectedSize) {
          throw fail("ami-image-size", `image is ${member.size} bytes, the manifest says ${expectedSize}`);
        }
      },
    });
  } catch (err) {
    tap.destroy();
    const pumpError = await pump;
    if (err instanceof AmiBundleError) throw err;
    if (err instanceof ArchiveRejectedError && err.check !== "archive-malformed") throw err;
    throw pumpError && !isPrematureClose(pumpError) ? mapStreamError(pumpError, fail) : err;
  }
  const pumpError = await pump;
  const { file, members } = extracted;
  const refuse = async (error: Error) => {
    if (file) await rm(file.path, { force: true });
    return error;
  };
  if (pumpError) throw await refuse(mapStreamError(pumpError, fail));
  if (!file || members !== 1) {
    throw await refuse(fail("ami-payload", `bundle holds ${members} entries, expected one image file`));
  }
  const sha1 = hash.digest("hex");
  if (sha1 !== manifest.digest) {
    throw await refuse(fail("ami-image-digest", "image SHA-1 does not match the manifest"));
  }
  const { userEncryptedKey: _k, userEncryptedIv: _i, parts: _p, ...described } = manifest;
  return {
    imagePath: file.path,
    imageName: file.name,
    size: file.size,
    storedBytes: file.storedBytes,
    sparseForm: file.sparseForm,
    layout: await imageLayout(file.path),
    sha1,
    parts: parts.length,
    manifest: described,
  };
}

function isPrematureClose(err: unknown): boolean {
  return (err as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE";
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
