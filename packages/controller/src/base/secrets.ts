import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A credential made of a public id and a 256-bit secret: `<prefix>_<id>.<secret>`. */
export interface IssuedSecret {
  id: string;
  /** What the holder presents. Shown once, never stored. */
  token: string;
  /** What the database keeps. */
  secretHash: string;
}

/** 256 random bits, base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Compares two hex digests without leaking where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * Issues a credential for a row id. Tokens are high-entropy, so a plain SHA-256 is the
 * right hash: a slow password hash would add latency to every request and no security.
 */
export function issueSecret(id: string): IssuedSecret {
  const secret = randomSecret();
  return { id, token: `${id}.${secret}`, secretHash: sha256Hex(secret) };
}

/** Splits a presented token into its id and secret, or undefined when it is malformed. */
export function parseToken(token: string, idPrefix: string): { id: string; secret: string } | undefined {
  const dot = token.indexOf(".");
  if (dot < 0) return undefined;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  // The id is looked up in the database: only the characters ids are made of may reach it
  // (a NUL byte would otherwise be a database error, that is, a 500).
  if (!id.startsWith(`${idPrefix}_`) || !/^[a-z]+_[A-Za-z0-9]{1,64}$/.test(id)) return undefined;
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { id, secret };
}
