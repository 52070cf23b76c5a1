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
import { mkdir, open, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { tarHeader } from "../hostile/tar-writer.js";

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
  /** Writes this name into the manifest instead of the real part file name (hostile bundles). */
  manifestPartName?: (index: number, actual: string) => string;
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
 * Writes an EC2 AMI bundle the way ec2-bundle-image does (ec2-ami-tools, bundle.rb and
 * manifestv20071010.rb): tar of the image → gzip -9 → AES-128-CBC with a random key and IV →
 * split into `<prefix>.part.NN`. The key and IV are hex strings, RSA-encrypted with PKCS#1 v1.5
 * for the user and for EC2; the manifest is signed with RSA-SHA1 over the
 * `<machine_configuration>` and `<image>` elements.
 */
export async function makeAmiBundle(dir: string, spec: AmiBundleSpec): Promise<AmiBundle> {
  await mkdir(dir, { recursive: true });
  const prefix = spec.prefix ?? "image";
  const user = spec.user ?? makeRsaKeyPair();
  const ec2 = makeRsaKeyPair();
  const imageSize = Buffer.isBuffer(spec.image) ? spec.image.length : (await stat(spec.image.path)).size;
  const source = spec.image;
  async function* tarStream(): AsyncGenerator<Buffer> {
    yield tarHeader({ name: prefix }, imageSize);
    if (Buffer.isBuffer(source)) yield source;
    else for await (const chunk of createReadStream(source.path)) yield chunk as Buffer;
    yield Buffer.alloc((512 - (imageSize % 512)) % 512);
    yield Buffer.alloc(1024);
  }
  const keyHex = randomBytes(16).toString("hex");
  const ivHex = randomBytes(16).toString("hex");
  const tarSha1 = createHash("sha1");
  const encryptedPath = join(dir, `${prefix}.bundle.tmp`);
  await pipeline(
    Readable.from(tarStream()),
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        tarSha1.update(chunk);
        callback(null, chunk);
      },
    }),
    createGzip({ level: Buffer.isBuffer(source) ? 9 : 1 }),
    createCipheriv("aes-128-cbc", Buffer.from(keyHex, "hex"), Buffer.from(ivHex, "hex")),
    createWriteStream(encryptedPath),
  );
  const imageDigest = tarSha1.digest("hex");
  const encryptedSize = (await stat(encryptedPath)).size;
  const partSize = spec.partSize ?? 10 * 1024 * 1024;
  const partPaths: string[] = [];
  const partXml: string[] = [];
  const encrypted = await open(encryptedPath, "r");
  try {
    for (let i = 0, offset = 0; offset < encryptedSize; i++, offset += partSize) {
      const name = `${prefix}.part.${String(i).padStart(2, "0")}`;
      const body = Buffer.alloc(Math.min(partSize, encryptedSize - offset));
      await encrypted.read(body, 0, body.length, offset);
      const path = join(dir, name);
      await writeFile(path, body);
      partPaths.push(path);
      const listed = spec.manifestPartName?.(i, name) ?? name;
      partXml.push(
        `<part index="${i}"><filename>${listed}</filename><digest algorithm="SHA1">${createHash("sha1").update(body).digest("hex")}</digest></part>`,
      );
    }
  } finally {
    await encrypted.close();
    await rm(encryptedPath, { force: true });
  }
  const rsa = (pem: string, text: string) =>
    publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text)).toString("hex");
  const machine = "<machine_configuration><architecture>x86_64</architecture></machine_configuration>";
  const image =
    `<image><name>${prefix}</name><user>123456789012</user><type>machine</type>` +
    `<digest algorithm="SHA1">${imageDigest}</digest><size>${imageSize}</size><bundled_size>${encryptedSize}</bundled_size>` +
    `<ec2_encrypted_key algorithm="AES-128-CBC">${rsa(ec2.publicKeyPem, keyHex)}</ec2_encrypted_key>` +
    `<user_encrypted_key algorithm="AES-128-CBC">${rsa(user.publicKeyPem, keyHex)}</user_encrypted_key>` +
    `<ec2_encrypted_iv>${rsa(ec2.publicKeyPem, ivHex)}</ec2_encrypted_iv>` +
    `<user_encrypted_iv>${rsa(user.publicKeyPem, ivHex)}</user_encrypted_iv>` +
    `<parts count="${partXml.length}">${partXml.join("")}</parts></image>`;
  const signature = createSign("RSA-SHA1")
    .update(machine + image)
    .sign(user.privateKeyPem, "hex");
  const manifest =
    `<?xml version="1.0" ?>\n<manifest><version>2007-10-10</version>` +
    `<bundler><name>ec2-ami-tools</name><version>1.5</version><release>7</release></bundler>` +
    `${machine}${image}<signature>${signature}</signature></manifest>\n`;
  const manifestPath = join(dir, `${prefix}.manifest.xml`);
  await writeFile(manifestPath, manifest);
  return { dir, manifestPath, partPaths, user, imageDigest };
}
