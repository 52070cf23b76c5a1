import { describe, expect, it } from "vitest";
import {
  RECOVERY_CODE_COUNT,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  normaliseTotpCode,
  otpauthUri,
  stepOfCode,
  totpCodeAt,
} from "./totp.js";

describe("TOTP", () => {
  // RFC 6238 appendix B: the SHA-1 test key "12345678901234567890", 8 digits there; its
  // 6-digit codes are the last six digits.
  const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  it("matches the RFC 6238 test vectors", () => {
    expect(totpCodeAt(rfcSecret, 59_000)).toBe("287082");
    expect(totpCodeAt(rfcSecret, 1_111_111_109_000)).toBe("081804");
    expect(totpCodeAt(rfcSecret, 1_234_567_890_000)).toBe("005924");
  });

  it("accepts a code one step early or late, and names its step", () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    const step = Math.floor(now / 30_000);
    expect(stepOfCode(secret, totpCodeAt(secret, now), now)).toBe(step);
    expect(stepOfCode(secret, totpCodeAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(stepOfCode(secret, totpCodeAt(secret, now + 30_000), now)).toBe(step + 1);
    expect(stepOfCode(secret, totpCodeAt(secret, now - 90_000), now)).toBeUndefined();
  });

  it("makes a 160-bit secret and a URI an app can read", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = otpauthUri(secret, "Acme Cloud", "ann@example.test");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Acme%20Cloud:ann%40example\.test\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain("issuer=Acme%20Cloud");
  });

  it("reads codes as people type them", () => {
    expect(normaliseTotpCode("123 456")).toBe("123456");
    expect(normaliseTotpCode("12345")).toBeUndefined();
    expect(normaliseTotpCode("abcdef")).toBeUndefined();
  });
});

describe("recovery codes", () => {
  it("are ten distinct 80-bit codes that read back normalised", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
      expect(normaliseRecoveryCode(code.toUpperCase())).toBe(code.replace(/-/g, ""));
    }
    expect(normaliseRecoveryCode("123456")).toBeUndefined();
  });
});
