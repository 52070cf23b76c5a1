import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** An Ed25519 key pair as it is stored: the raw public key (base64url) and the private key (PKCS#8 DER, base64). */
export interface StoredKeyPair {
  publicKey: string;
  privateKeyPkcs8: string;
}

/** A fresh Ed25519 key pair from Node's own crypto. */
export function generateKeyPair(): StoredKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return {
    publicKey: rawPublicKey(publicKey),
    privateKeyPkcs8: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
  };
}

/** The raw 32-byte public key, base64url (the JWK `x`), of an Ed25519 key. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.x !== "string") throw new Error("not an Ed25519 key");
  return jwk.x;
}

const RAW_KEY = /^[A-Za-z0-9_-]{43}$/;

/** The public key from its raw base64url form; undefined when it is not an Ed25519 public key. */
export function publicKeyFromRaw(raw: string): KeyObject | undefined {
  if (!RAW_KEY.test(raw)) return undefined;
  try {
    return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw }, format: "jwk" });
  } catch {
    return undefined;
  }
}

/** The private key from its stored PKCS#8 form. */
export function privateKeyFromPkcs8(base64: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(base64, "base64"), format: "der", type: "pkcs8" });
}

/**
 * `sha256:` and the base64url SHA-256 of the raw public key. It names the key in signatures
 * (`keyid`), and it is what two providers' admins read to each other before approving a peering.
 */
export function fingerprintOf(rawKey: string): string {
  return `sha256:${createHash("sha256").update(Buffer.from(rawKey, "base64url")).digest("base64url")}`;
}
