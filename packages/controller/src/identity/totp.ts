import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

/**
 * RFC 6238 with the parameters every authenticator app understands: HMAC-SHA1, 6 digits,
 * 30-second steps, and a 160-bit secret (RFC 4226's recommended length).
 */
const PARAMS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** One step either side, so a phone whose clock is up to 30 s off still works. */
const WINDOW = 1;

export const RECOVERY_CODE_COUNT = 10;

/** A new TOTP secret, base32 (what people type into an app that cannot scan). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI that authenticator apps read from a QR code or a paste. */
export function otpauthUri(secretBase32: string, issuer: string, label: string): string {
  return new TOTP({ ...PARAMS, issuer, label, secret: Secret.fromBase32(secretBase32) }).toString();
}

/** A code as people type it: digits, maybe with a space or dash in the middle. */
export function normaliseTotpCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : undefined;
}

/**
 * The time step a code belongs to, when it is valid at `now` (within the window), else
 * undefined. Callers accept a step only once, which makes every code single-use.
 */
export function stepOfCode(secretBase32: string, code: string, now = Date.now()): number | undefined {
  const delta = TOTP.validate({
    ...PARAMS,
    token: code,
    secret: Secret.fromBase32(secretBase32),
    timestamp: now,
    window: WINDOW,
  });
  if (delta === null) return undefined;
  return TOTP.counter({ period: PARAMS.period, timestamp: now }) + delta;
}

/** The code of a secret at a moment (tests and the enrolment page's own checks). */
export function totpCodeAt(secretBase32: string, timestamp: number): string {
  return TOTP.generate({ ...PARAMS, secret: Secret.fromBase32(secretBase32), timestamp });
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Ten recovery codes of 80 random bits each, as `xxxx-xxxx-xxxx-xxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    let bits = 0;
    let value = 0;
    let text = "";
    for (const byte of bytes) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        text += BASE32[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    return text.match(/.{4}/g)?.join("-") ?? text;
  });
}

/** A recovery code as stored and compared: lower case, without dashes or spaces. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const code = input.replace(/[\s-]/g, "").toLowerCase();
  return /^[a-z2-7]{16}$/.test(code) ? code : undefined;
}
