import { describe, expect, it } from "vitest";
import { RefusalAuditLimiter } from "./refusal-audits.js";

describe("RefusalAuditLimiter", () => {
  it("admits one audit per peer and reason per window, and counts the rest into the next one", () => {
    const limiter = new RefusalAuditLimiter(60_000);
    expect(limiter.admit("p1", "bad_signature", 0)).toEqual({ audit: true, suppressed: 0 });
    for (let i = 1; i <= 500; i++)
      expect(limiter.admit("p1", "bad_signature", i * 100)).toEqual({ audit: false });
    // Another reason, or another peer, has its own window.
    expect(limiter.admit("p1", "replayed", 1_000)).toEqual({ audit: true, suppressed: 0 });
    expect(limiter.admit("p2", "bad_signature", 1_000)).toEqual({ audit: true, suppressed: 0 });
    // The window is over: a row again, carrying the count of what was only logged.
    expect(limiter.admit("p1", "bad_signature", 60_000)).toEqual({ audit: true, suppressed: 500 });
    expect(limiter.admit("p1", "bad_signature", 60_001)).toEqual({ audit: false });
  });

  it("stays bounded under many distinct keys, dropping the oldest windows first", () => {
    const limiter = new RefusalAuditLimiter(60_000, 100);
    for (let i = 0; i < 10_000; i++) limiter.admit(`peer-${i}`, "bad_signature", i);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
    // The newest are kept: a repeat within the window is still refused a row.
    expect(limiter.admit("peer-9999", "bad_signature", 10_000)).toEqual({ audit: false });
  });
});
