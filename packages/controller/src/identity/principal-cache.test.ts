import type { Principal } from "@layerboom/core";
import { describe, expect, it } from "vitest";
import { PrincipalCache } from "./principal-cache.js";

const principal: Principal = {
  userId: "usr_a",
  accountId: "acc_a",
  accountKind: "customer",
  accountPath: "/acc_p/acc_a/",
  role: "customer-admin",
};

describe("PrincipalCache", () => {
  it("forgets an entry after its TTL", () => {
    const cache = new PrincipalCache(2_000);
    cache.set("k", principal, null, 1_000);
    expect(cache.get("k", 2_999)).toEqual(principal);
    expect(cache.get("k", 3_000)).toBeUndefined();
  });

  it("never keeps a principal past its token's own expiry", () => {
    const cache = new PrincipalCache(60_000);
    cache.set("k", principal, new Date(1_500), 1_000);
    expect(cache.get("k", 1_499)).toEqual(principal);
    expect(cache.get("k", 1_500)).toBeUndefined();
  });

  it("is cleared at once, and stays bounded in size", () => {
    const cache = new PrincipalCache(60_000, 2);
    cache.set("a", principal, null, 0);
    cache.set("b", principal, null, 0);
    cache.set("c", principal, null, 0);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("c", 1)).toEqual(principal);
    cache.clear();
    expect(cache.get("c", 1)).toBeUndefined();
  });
});
