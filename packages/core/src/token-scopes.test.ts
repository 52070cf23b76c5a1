import { describe, expect, it } from "vitest";
import { normaliseScopes, scopeNeeded, scopesAllow, scopesCover } from "./token-scopes.js";

describe("token scopes", () => {
  it("lets full do everything and read only read", () => {
    expect(scopesAllow(["full"], { group: "servers", access: "write" })).toBe(true);
    expect(scopesAllow(["read"], { group: "billing", access: "read" })).toBe(true);
    expect(scopesAllow(["read"], { group: "billing", access: "write" })).toBe(false);
  });

  it("limits a group scope to its group, and :read to reading it", () => {
    expect(scopesAllow(["servers"], { group: "servers", access: "write" })).toBe(true);
    expect(scopesAllow(["servers"], { group: "images", access: "read" })).toBe(false);
    expect(scopesAllow(["servers:read"], { group: "servers", access: "read" })).toBe(true);
    expect(scopesAllow(["servers:read"], { group: "servers", access: "write" })).toBe(false);
    expect(scopesAllow(["servers:read"], "any")).toBe(true);
  });

  it("names the narrowest scope that would allow a request", () => {
    expect(scopeNeeded({ group: "billing", access: "read" })).toBe("billing:read");
    expect(scopeNeeded({ group: "billing", access: "write" })).toBe("billing");
  });

  it("never lets a token issue a wider token than itself", () => {
    expect(scopesCover(["full"], ["full"])).toBe(true);
    expect(scopesCover(["read"], ["full"])).toBe(false);
    expect(scopesCover(["read"], ["servers:read", "read"])).toBe(true);
    expect(scopesCover(["read"], ["servers"])).toBe(false);
    expect(scopesCover(["servers"], ["servers:read"])).toBe(true);
    expect(scopesCover(["servers:read"], ["servers"])).toBe(false);
    expect(scopesCover(["servers", "billing:read"], ["read"])).toBe(false);
  });

  it("normalises to the fewest scopes that grant the same", () => {
    expect(normaliseScopes(["servers", "full"])).toEqual(["full"]);
    expect(normaliseScopes(["billing:read", "servers:read", "servers", "servers"])).toEqual([
      "servers",
      "billing:read",
    ]);
    expect(normaliseScopes(["images:read", "read"])).toEqual(["read"]);
  });
});
