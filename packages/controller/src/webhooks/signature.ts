import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Receivers should refuse signatures older than this (replays). */
export const DEFAULT_SIGNATURE_TOLERANCE_S = 300;

/** A new endpoint secret: 32 random bytes, shown to its creator once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * The `Layerboom-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp is inside the MAC so a captured delivery cannot be replayed later with a fresh one.
 */
export function signWebhook(secret: string, body: string, nowS = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${nowS}.${body}`).digest("hex");
  return `t=${nowS},v1=${mac}`;
}

/** Why a signature was refused, or undefined when it is good. */
export type SignatureProblem = "malformed" | "stale" | "mismatch";

/**
 * What a receiver runs on the raw request body (before any JSON parsing): checks the MAC in
 * constant time and refuses timestamps further than `toleranceS` from now.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  options: { toleranceS?: number; nowS?: number } = {},
): SignatureProblem | undefined {
  if (!header) return "malformed";
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const eq = item.indexOf("=");
    if (eq <= 0) return "malformed";
    const key = item.slice(0, eq).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(eq + 1).trim()]);
  }
  const t = parts.get("t")?.[0];
  const candidates = parts.get("v1") ?? [];
  if (!t || !/^\d{1,12}$/.test(t) || candidates.length === 0) return "malformed";
  const nowS = options.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowS - Number(t)) > (options.toleranceS ?? DEFAULT_SIGNATURE_TOLERANCE_S)) return "stale";
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  // Several v1 values may be present while a secret is being rotated; any match is enough.
  const ok = candidates.some((hex) => {
    if (!/^[0-9a-f]{64}$/.test(hex)) return false;
    return timingSafeEqual(Buffer.from(hex, "hex"), expected);
  });
  return ok ? undefined : "mismatch";
}
