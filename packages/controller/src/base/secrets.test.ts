import { describe, expect, it } from "vitest";
import { digestsEqual, issueSecret, parseToken, sha256Hex } from "./secrets.js";

describe("issued secrets", () => {
  it("round-trip through parseToken and verify by hash", () => {
    const issued = issueSecret("tok_abc");
    const parsed = parseToken(issued.token, "tok");
    expect(parsed?.id).toBe("tok_abc");
    expect(digestsEqual(sha256Hex(parsed?.secret ?? ""), issued.secretHash)).toBe(true);
    expect(issued.token).not.toContain(issued.secretHash);
  });

  it("reject malformed tokens and other kinds' ids", () => {
    expect(parseToken("garbage", "tok")).toBeUndefined();
    expect(parseToken(issueSecret("ses_x").token, "tok")).toBeUndefined();
    expect(parseToken("tok_x.short", "tok")).toBeUndefined();
    const secret = "A".repeat(43);
    expect(parseToken(`tok_abc.${secret}`, "tok")?.id).toBe("tok_abc");
    expect(parseToken(`tok_a\u0000b.${secret}`, "tok")).toBeUndefined();
    expect(parseToken(`tok_a'b.${secret}`, "tok")).toBeUndefined();
  });

  it("compare digests of different lengths as unequal", () => {
    expect(digestsEqual("ab", "abcd")).toBe(false);
    expect(digestsEqual("", "")).toBe(false);
  });
});
