import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboundGuard, OutboundRefusedError } from "../outbound/guard.js";
import { PeerAnswerError } from "./errors.js";
import { FEDERATION_PROTOCOL } from "./identity.js";
import type { FederationProfile } from "./identity.js";
import { fingerprintOf, generateKeyPair } from "./keys.js";
import { PeerClient, allowanceFor, checkProfile } from "./peer-client.js";

function profileAt(url: string): FederationProfile {
  const { publicKey } = generateKeyPair();
  return {
    protocol: FEDERATION_PROTOCOL,
    name: "B",
    url,
    public_key: publicKey,
    fingerprint: fingerprintOf(publicKey),
    jurisdictions: ["CA", "CA-QC"],
    contact: "noc@b.test",
  };
}

describe("allowanceFor", () => {
  it("allows the peer's host and port exactly, the scheme's port when none is given", () => {
    expect(allowanceFor("http://127.0.0.1:8443")).toBe("127.0.0.1:8443");
    expect(allowanceFor("https://b.example")).toBe("b.example:443");
    expect(allowanceFor("http://[::1]:9000")).toBe("[::1]:9000");
  });
});

describe("checkProfile", () => {
  const url = "https://b.example";

  it("accepts a well-formed profile at its own URL", () => {
    const profile = profileAt(url);
    expect(checkProfile(profile, url)).toEqual(profile);
  });

  it.each([
    ["another protocol", { protocol: "other/9" }, "speaks other/9"],
    ["a fingerprint that is not its key's", { fingerprint: "sha256:forged" }, "fingerprint"],
    ["no key", { public_key: "not-a-key" }, "Ed25519"],
    ["another URL", { url: "https://c.example" }, "names another URL"],
    ["a URL with a path", { url: "https://b.example/x" }, "no base URL"],
    ["malformed jurisdictions", { jurisdictions: ["../etc"] }, "jurisdictions"],
    ["no name", { name: "" }, "no name"],
  ])("refuses a profile with %s", (_what, change, message) => {
    expect(() => checkProfile({ ...profileAt(url), ...change }, url)).toThrow(message);
  });

  it("refuses what is not an object", () => {
    expect(() => checkProfile("profile", url)).toThrow(PeerAnswerError);
  });
});

describe("PeerClient through the outbound guard", () => {
  let server: ReturnType<typeof createServer>;
  let base = "";

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(profileAt(base)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reaches a peer on loopback only through the allowance its URL gives", async () => {
    const guard = new OutboundGuard();
    const plain = await guard
      .request(`${base}/federation/v1/profile`, { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(OutboundRefusedError);
    const profile = await new PeerClient(guard).fetchProfile(base);
    expect(profile.url).toBe(base);
    // The allowance is the peer's port alone: the guard itself is unchanged.
    expect(guard.allowlist.size).toBe(0);
    const otherPort = await guard
      .allowing([allowanceFor(base)])
      .request(`http://127.0.0.1:1/`, { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect((otherPort as OutboundRefusedError).rule).toBe("address");
  });

  it("names the peer when it cannot be reached", async () => {
    await expect(new PeerClient(new OutboundGuard()).fetchProfile("http://127.0.0.1:1")).rejects.toThrow(
      "Could not reach http://127.0.0.1:1",
    );
  });
});
