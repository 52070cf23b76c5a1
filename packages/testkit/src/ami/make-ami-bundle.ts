import {
  constants,
  createCipheriv,
  createHash,
  createSign,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
} from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { runProgram } from "@layerboom/sys";

/** An RSA key pair in PEM, as the user's X.509 key and certificate would hold it. */
export interface PemKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Makes a 2048-bit RSA key pair. */
export function makeRsaKeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** Options for makeAmiBundle. */
export interface AmiBundleSpec {
  /** The image file's name inside the bundle, and the prefix of the part files. */
  prefix?: string;
  /** The image: bytes, or a file that is streamed (never held in memory). */
  image: Buffer | { path: string };
  /** Part size; ec2-bundle-image uses 10 MiB. */
  partSize?: number;
  user?: PemKeyPair;
  /** Changes GNU tar's output before it is compressed and encrypted (hostile bundles). */
  editTar?: (tar: Buffer) => Buffer;
  /** Signs this size into the manifest instead of the image's (hostile bundles). */
  manifestSize?: number;
  /** Writes this name into the manifest instead of the real part file name (hostile bundles). */
  manifestPartName?: (index: number, actual: string) => string;
  /**
   * How GNU tar stores the image: `gnu` (the default, what `tar -S` writes and ec2-ami-tools
   * runs), or `--format=pax --sparse-version=0.0|0.1|1.0`.
   */
  tarFormat?: AmiTarFormat;
  /** Part names: `image.part.00` (ec2-ami-tools since 1.3, the default) or `image.part.0` (older). */
  partNumbering?: "padded" | "unpadded";
  /** ec2-bundle-vol's manifest additions: block device mapping, kernel and ramdisk. */
  volume?: { blockDeviceMapping: Record<string, string>; kernelId?: string; ramdiskId?: string };
}

/** The tar layouts makeAmiBundle can have GNU tar write. */
export type AmiTarFormat = "gnu" | "pax-0.0" | "pax-0.1" | "pax-1.0";

/** GNU tar's arguments for each layout; `-S` always, as ec2-bundle-image and ec2-bundle-vol run it. */
function tarFormatArgs(format: AmiTarFormat): string[] {
  if (format === "gnu") return ["--format=gnu"];
  return ["--format=pax", `--sparse-version=${format.slice(4)}`];
}

/** A bundle on disk. */
export interface AmiBundle {
  dir: string;
  manifestPath: string;
  partPaths: string[];
  user: PemKeyPair;
  /** SHA-1 of the tar stream, as written in the manifest. */
  imageDigest: string;
}

/**
 * Writes an EC2 AMI bundle the way ec2-bundle-image and ec2-bundle-vol do (ec2-ami-tools,
 * bundle.rb and manifestv20071010.rb): GNU tar of the image with `-S`, so holes stay out of
 * the stream → gzip → AES-128-CBC with a random key and IV →
 * split into `<prefix>.part.NN`. The key and IV are hex strings, RSA-encrypted with PKCS#1 v1.5
 * for the user and for EC2; the manifest is signed with RSA-SHA1 over the
 * `<machine_configuration>` and `<image>` elements.
 */
export async function makeAmiBundle(dir: string, spec: AmiBundleSpec): Promise<AmiBundle> {
  await mkdir(dir, { recursive: true });
  const prefix = spec.prefix ?? "image";
  const user = spec.user ?? makeRsaKeyPair();
  const ec2 = makeRsaKeyPair();
  // GNU tar itself writes the tar, from a folder where the image goes by its bundle name.
  const staging = await mkdtemp(join(dir, ".staging-"));
  const tarPath = join(dir, `${prefix}.tar.tmp`);
  let imageSize: number;
  try {
    if (Buffer.isBuffer(spec.image)) {
      await writeFile(join(staging, prefix), spec.image);
      imageSize = spec.image.length;
    } else {
      await symlink(resolve(spec.image.path), join(staging, prefix));
      imageSize = (await stat(spec.image.path)).size;
    }
    await runProgram(
      "tar",
      [
        "-c",
        "-S",
        "-h",
        ...tarFormatArgs(spec.tarFormat ?? "gnu"),
        "--owner=0",
        "--group=0",
        "-f",
        tarPath,
        "-C",
        staging,
        "--",
        prefix,
      ],
      { timeoutMs: 600_000 },
    );
    if (spec.editTar) await writeFile(tarPath, spec.editTar(await readFile(tarPath)));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const keyHex = randomBytes(16).toString("hex");
  const ivHex = randomBytes(16).toString("hex");
  const tarSha1 = createHash("sha1");
  const encryptedPath = join(dir, `${prefix}.bundle.tmp`);
  try {
    await pipeline(
      createReadStream(tarPath, { highWaterMark: 1024 * 1024 }),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          tarSha1.update(chunk);
          callback(null, chunk);
        },
      }),
      createGzip({ level: Buffer.isBuffer(spec.image) ? 9 : 1 }),
      createCipheriv("aes-128-cbc", Buffer.from(keyHex, "hex"), Buffer.from(ivHex, "hex")),
      createWriteStream(encryptedPath),
    );
  } finally {
    await rm(tarPath, { force: true });
  }
  const imageDigest = tarSha1.digest("hex");
  const encryptedSize = (await stat(encryptedPath)).size;
  const partSize = spec.partSize ?? 10 * 1024 * 1024;
  const partPaths: string[] = [];
  const partXml: string[] = [];
  const encrypted = await open(encryptedPath, "r");
  try {
    for (let i = 0, offset = 0; offset < encryptedSize; i++, offset += partSize) {
      const name = `${prefix}.part.${spec.partNumbering === "unpadded" ? String(i) : String(i).padStart(2, "0")}`;
      const body = Buffer.alloc(Math.min(partSize, encryptedSize - offset));
      await encrypted.read(body, 0, body.length, offset);
      const path = join(dir, name);
      await writeFile(path, body);
      partPaths.push(path);
      const listed = spec.manifestPartName?.(i, name) ?? name;
      partXml.push(
        `<part index='${i}'><filename>${listed}</filename><digest algorithm='SHA1'>${createHash("sha1").update(body).digest("hex")}</digest></part>`,
      );
    }
  } finally {
    await encrypted.close();
    await rm(encryptedPath, { force: true });
  }
  const rsa = (pem: string, text: string) =>
    publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text)).toString("hex");
  // As manifestv20071010.rb builds it with REXML: single-quoted attributes, no whitespace.
  const volume = spec.volume;
  const mappings = volume
    ? `<block_device_mapping>${Object.keys(volume.blockDeviceMapping)
        .sort()
        .map(
          (v) => `<mapping><virtual>${v}</virtual><device>${volume.blockDeviceMapping[v]}</device></mapping>`,
        )
        .join("")}</block_device_mapping>`
    : "";
  const machine =
    `<machine_configuration><architecture>x86_64</architecture>${mappings}` +
    (volume?.kernelId ? `<kernel_id>${volume.kernelId}</kernel_id>` : "") +
    (volume?.ramdiskId ? `<ramdisk_id>${volume.ramdiskId}</ramdisk_id>` : "") +
    `</machine_configuration>`;
  const image =
    `<image><name>${prefix}</name><user>123456789012</user><type>machine</type>` +
    `<digest algorithm='SHA1'>${imageDigest}</digest><size>${spec.manifestSize ?? imageSize}</size><bundled_size>${encryptedSize}</bundled_size>` +
    `<ec2_encrypted_key algorithm='AES-128-CBC'>${rsa(ec2.publicKeyPem, keyHex)}</ec2_encrypted_key>` +
    `<user_encrypted_key algorithm='AES-128-CBC'>${rsa(user.publicKeyPem, keyHex)}</user_encrypted_key>` +
    `<ec2_encrypted_iv>${rsa(ec2.publicKeyPem, ivHex)}</ec2_encrypted_iv>` +
    `<user_encrypted_iv>${rsa(user.publicKeyPem, ivHex)}</user_encrypted_iv>` +
    `<parts count='${partXml.length}'>${partXml.join("")}</parts></image>`;
  const signature = createSign("RSA-SHA1")
    .update(machine + image)
    .sign(user.privateKeyPem, "hex");
  const manifest =
    `<?xml version='1.0'?><manifest><version>2007-10-10</version>` +
    `<bundler><name>ec2-ami-tools</name><version>1.5</version><release>7</release></bundler>` +
    `${machine}${image}<signature>${signature}</signature></manifest>\n`;
  const manifestPath = join(dir, `${prefix}.manifest.xml`);
  await writeFile(manifestPath, manifest);
  return { dir, manifestPath, partPaths, user, imageDigest };
}
