import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SealedSecretError, SecretBox, loadOrCreateKeyFile, parseSecretKey } from "./secret-box.js";

describe("SecretBox", () => {
  const box = new SecretBox(SecretBox.generateKey());

  it("opens what it sealed, for the same context only", () => {
    const sealed = box.seal("JBSWY3DPEHPK3PXP", "usr_a");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.open(sealed, "usr_a")).toBe("JBSWY3DPEHPK3PXP");
    expect(() => box.open(sealed, "usr_b")).toThrow(SealedSecretError);
  });

  it("refuses a tampered value and another key's value", () => {
    const sealed = box.seal("secret", "usr_a");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[2] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 1;
    parts[2] = body.toString("base64url");
    expect(() => box.open(parts.join("."), "usr_a")).toThrow(SealedSecretError);
    expect(() => new SecretBox(SecretBox.generateKey()).open(sealed, "usr_a")).toThrow(SealedSecretError);
    expect(() => box.open("garbage", "usr_a")).toThrow(SealedSecretError);
  });

  it("takes keys of exactly 32 bytes in base64", () => {
    expect(parseSecretKey(SecretBox.generateKey().toString("base64"))).toHaveLength(32);
    expect(parseSecretKey("c2hvcnQ=")).toBeUndefined();
  });

  it("creates the key file once, readable by its owner only, and reads it back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lb-key-"));
    try {
      const path = join(dir, "data", "secret.key");
      const [a, b] = await Promise.all([loadOrCreateKeyFile(path), loadOrCreateKeyFile(path)]);
      expect(a.equals(b)).toBe(true);
      expect((await loadOrCreateKeyFile(path)).equals(a)).toBe(true);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
