import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { backoffMs } from "./dispatcher.js";
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from "./signature.js";

describe("webhook signatures", () => {
  const secret = newWebhookSecret();
  const body = '{"id":"evt_1","type":"invoice.paid"}';

  it("is HMAC-SHA256 of '<t>.<body>' in hex, as documented", () => {
    const header = signWebhook(secret, body, 1_800_000_000);
    const mac = createHmac("sha256", secret).update(`1800000000.${body}`).digest("hex");
    expect(header).toBe(`t=1800000000,v1=${mac}`);
    expect(verifyWebhookSignature(secret, header, body, { nowS: 1_800_000_010 })).toBeUndefined();
  });

  it("refuses another body, another secret, stale or future timestamps and garbage", () => {
    const header = signWebhook(secret, body, 1_800_000_000);
    const now = { nowS: 1_800_000_000 };
    expect(verifyWebhookSignature(secret, header, `${body} `, now)).toBe("mismatch");
    expect(verifyWebhookSignature(newWebhookSecret(), header, body, now)).toBe("mismatch");
    expect(verifyWebhookSignature(secret, header, body, { nowS: 1_800_000_301 })).toBe("stale");
    expect(verifyWebhookSignature(secret, header, body, { nowS: 1_799_999_699 })).toBe("stale");
    expect(verifyWebhookSignature(secret, undefined, body, now)).toBe("malformed");
    expect(verifyWebhookSignature(secret, "v1=abc", body, now)).toBe("malformed");
    expect(verifyWebhookSignature(secret, "t=1800000000,v1=zz", body, now)).toBe("mismatch");
  });

  it("accepts any of several v1 values (secret rotation)", () => {
    const good = signWebhook(secret, body, 1_800_000_000);
    const other = signWebhook(newWebhookSecret(), body, 1_800_000_000).split(",")[1];
    expect(verifyWebhookSignature(secret, `${good},${other}`, body, { nowS: 1_800_000_000 })).toBeUndefined();
  });
});

describe("webhook backoff", () => {
  it("doubles from the base, stays between half and all of it, and is capped", () => {
    expect(backoffMs(1, 10_000, 60_000, () => 0)).toBe(5_000);
    expect(backoffMs(1, 10_000, 60_000, () => 1)).toBe(10_000);
    expect(backoffMs(3, 10_000, 60_000, () => 1)).toBe(40_000);
    expect(backoffMs(20, 10_000, 60_000, () => 1)).toBe(60_000);
  });
});
