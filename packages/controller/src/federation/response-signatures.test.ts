import { describe, expect, it } from "vitest";
import { FederationSignatureError } from "./errors.js";
import type { SignatureRefusal } from "./errors.js";
import { fingerprintOf, generateKeyPair, privateKeyFromPkcs8, publicKeyFromRaw } from "./keys.js";
import { CLOCK_SKEW_SECONDS, signRequest } from "./message-signatures.js";
import { signResponse, verifySignedResponse } from "./response-signatures.js";
import type { AnsweredRequest } from "./response-signatures.js";

function identity() {
  const pair = generateKeyPair();
  const keyId = fingerprintOf(pair.publicKey);
  return {
    keyId,
    signing: { keyId, privateKey: privateKeyFromPkcs8(pair.privateKeyPkcs8) },
    publicKey: publicKeyFromRaw(pair.publicKey)!,
  };
}

describe("signed answers, bound to the request they answer", () => {
  const a = identity();
  const b = identity();
  const url = "http://b.example:8080/federation/v1/peering";

  async function exchange() {
    const request: AnsweredRequest = {
      method: "GET",
      url,
      headers: await signRequest(a.signing, { method: "GET", url, body: "" }),
    };
    const body = JSON.stringify({ state: "active" });
    const headers = await signResponse(b.signing, { status: 200, body }, request);
    return { request, response: { status: 200, headers, body: Buffer.from(body) } };
  }

  async function refusal(promise: Promise<void>): Promise<SignatureRefusal> {
    const err = await promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FederationSignatureError);
    return (err as FederationSignatureError).reason;
  }

  it("covers the status, the Content-Digest and the request's signature", async () => {
    const { request, response } = await exchange();
    expect(response.headers["signature-input"]).toMatch(
      /^lb=\("@status" "content-digest" "signature";req;key="lb"\);created=\d+;keyid="sha256:[^"]+";alg="ed25519"$/,
    );
    await expect(verifySignedResponse(response, request, b.keyId, b.publicKey)).resolves.toBeUndefined();
  });

  it("refuses an answer moved to another request (another nonce, so another request signature)", async () => {
    const { response } = await exchange();
    const other = await exchange();
    expect(await refusal(verifySignedResponse(response, other.request, b.keyId, b.publicKey))).toBe(
      "bad_signature",
    );
  });

  it("refuses an altered body, another status, another key, and no signature", async () => {
    const { request, response } = await exchange();
    const altered = { ...response, body: Buffer.from(JSON.stringify({ state: "revoked" })) };
    expect(await refusal(verifySignedResponse(altered, request, b.keyId, b.publicKey))).toBe(
      "digest_mismatch",
    );
    expect(
      await refusal(verifySignedResponse({ ...response, status: 201 }, request, b.keyId, b.publicKey)),
    ).toBe("bad_signature");
    expect(await refusal(verifySignedResponse(response, request, a.keyId, a.publicKey))).toBe("unknown_key");
    expect(
      await refusal(verifySignedResponse({ ...response, headers: {} }, request, b.keyId, b.publicKey)),
    ).toBe("unsigned");
  });

  it("refuses an answer signed outside the clock window", async () => {
    const { request, response } = await exchange();
    const later = new Date(Date.now() + (CLOCK_SKEW_SECONDS + 10) * 1000);
    expect(await refusal(verifySignedResponse(response, request, b.keyId, b.publicKey, later))).toBe("stale");
  });
});
