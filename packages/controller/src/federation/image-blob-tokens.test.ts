import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkImageBlobToken, imageBlobToken } from "./image-blob-tokens.js";

const key = randomBytes(32);
const grant = {
  imageId: "img_06h52pnecx9gng6crcpk6c6pnr",
  peerId: "peer_06h52pn7gbhp1pqxjk8m7y7pvm",
  expiresAt: 1_800_000_000,
};
const before = new Date((grant.expiresAt - 10) * 1000);

describe("image blob tokens", () => {
  it("round-trips within its hour, in at most the 100 characters a path parameter takes", () => {
    const token = imageBlobToken(key, grant);
    expect(token.length).toBeLessThanOrEqual(100);
    expect(checkImageBlobToken(key, token, before)).toEqual(grant);
  });

  it("refuses it at and after its expiry", () => {
    const token = imageBlobToken(key, grant);
    expect(checkImageBlobToken(key, token, new Date(grant.expiresAt * 1000))).toBeUndefined();
  });

  it("refuses another key, and any part changed", () => {
    const token = imageBlobToken(key, grant);
    expect(checkImageBlobToken(randomBytes(32), token, before)).toBeUndefined();
    const [imageId, peerId, expiry, mac] = token.split(".") as [string, string, string, string];
    const changed = [
      [imageId.replace(/.$/, "0"), peerId, expiry, mac],
      [imageId, peerId.replace(/.$/, "0"), expiry, mac],
      [imageId, peerId, String(Number(expiry) + 3600), mac],
      [imageId, peerId, expiry, `${mac[0] === "A" ? "B" : "A"}${mac.slice(1)}`],
      [imageId, peerId, expiry, mac.slice(1)],
      [imageId, peerId, expiry],
      [imageId, peerId, expiry, mac, "x"],
    ];
    for (const parts of changed) expect(checkImageBlobToken(key, parts.join("."), before)).toBeUndefined();
    expect(checkImageBlobToken(key, "", before)).toBeUndefined();
  });

  it("will not make a token of ids that could be confused with its separators", () => {
    expect(() => imageBlobToken(key, { ...grant, imageId: "img_a.b" })).toThrow(RangeError);
  });
});
