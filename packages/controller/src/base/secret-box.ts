import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** A sealed value that does not open: wrong key, wrong context, or tampered. */
export class SealedSecretError extends Error {
  constructor() {
    super(
      "A sealed secret could not be opened: the controller's secret key changed, or the value was altered.",
    );
    this.name = "SealedSecretError";
  }
}

/**
 * Seals secrets the controller must read back (TOTP secrets), with AES-256-GCM under the
 * controller's secret key. Each value is bound to a context (the owning row's id) as
 * associated data, so a sealed value copied onto another row does not open there. A stolen
 * database, backup or replica alone does not give the secrets away.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES)
      throw new Error(`The secret key must be ${KEY_BYTES} bytes, not ${key.length}.`);
    this.key = Buffer.from(key);
  }

  /** A fresh random key, for a first start or a test. */
  static generateKey(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  /**
   * A key for one purpose (a MAC, say), derived from the secret key with HKDF-SHA256: it never
   * opens sealed values, and each purpose gets its own, so one leaking does not give another.
   */
  derivedKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.key, Buffer.alloc(0), `layerboom:${purpose}`, KEY_BYTES));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, iv, body, cipher.getAuthTag()]
      .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
      .join(".");
  }

  open(sealed: string, context: string): string {
    const [version, iv, body, tag] = sealed.split(".");
    if (version !== VERSION || iv === undefined || body === undefined || tag === undefined)
      throw new SealedSecretError();
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    } catch {
      throw new SealedSecretError();
    }
  }
}

/** Reads a key given as base64 (LAYERBOOM_SECRET_KEY or the key file), or undefined when malformed. */
export function parseSecretKey(text: string): Buffer | undefined {
  const key = Buffer.from(text.trim(), "base64");
  return key.length === KEY_BYTES ? key : undefined;
}

/**
 * The key in `path`, created (mode 0600) on first start. Several controllers on one
 * PostgreSQL must share a key: give them the same LAYERBOOM_SECRET_KEY instead.
 */
export async function loadOrCreateKeyFile(path: string): Promise<Buffer> {
  try {
    const key = parseSecretKey(await readFile(path, "utf8"));
    if (!key) throw new Error(`${path} does not hold a 32-byte key in base64.`);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const key = SecretBox.generateKey();
  await mkdir(dirname(path), { recursive: true });
  // Written whole under a private name, then linked into place: link fails if the key is
  // already there, so two controllers starting at once on one data folder keep the first key,
  // and neither ever reads a half-written file.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(draft, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(draft, path);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateKeyFile(path);
    throw err;
  } finally {
    await unlink(draft);
  }
}
