import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { routeScopeHook } from "./authenticate.js";
import { UnscopedRouteError, requiredScopeOf } from "../http/route-scopes.js";

describe("route scopes", () => {
  it("takes the longest matching prefix and the method's access", () => {
    expect(requiredScopeOf("GET", "/servers/:id", undefined)).toEqual({ group: "servers", access: "read" });
    expect(requiredScopeOf("DELETE", "/servers/:id", undefined)).toEqual({
      group: "servers",
      access: "write",
    });
    expect(requiredScopeOf("GET", "/servers/:id/energy", undefined)).toEqual({
      group: "energy",
      access: "read",
    });
    expect(requiredScopeOf("POST", "/servers/:id/ipv4", undefined)).toEqual({
      group: "networking",
      access: "write",
    });
    expect(requiredScopeOf("HEAD", "/invoices/:id/pdf", undefined)).toEqual({
      group: "billing",
      access: "read",
    });
  });

  it("lets a route declare its own scope, and keeps /me exact", () => {
    expect(requiredScopeOf("GET", "/servers/:id/console", { group: "servers", access: "write" })).toEqual({
      group: "servers",
      access: "write",
    });
    expect(requiredScopeOf("GET", "/me", undefined)).toBe("any");
    expect(requiredScopeOf("PATCH", "/me/mailing-list", undefined)).toEqual({
      group: "account",
      access: "write",
    });
    // A prefix matches whole segments only.
    expect(() => requiredScopeOf("GET", "/serversfoo", undefined)).toThrow(UnscopedRouteError);
  });

  it("stops an app from starting with a route that has no scope", async () => {
    const app = Fastify({ logger: false });
    const start = async () => {
      await app.register(
        async (api) => {
          api.addHook("onRoute", routeScopeHook("/api/v1"));
          api.get("/servers", async () => ({}));
          api.get("/login", { config: { public: true } }, async () => ({}));
          api.get("/brand-new-feature", async () => ({}));
        },
        { prefix: "/api/v1" },
      );
      await app.ready();
    };
    await expect(start()).rejects.toThrow(/GET \/brand-new-feature has no API token scope/);
    await app.close().catch(() => undefined);
  });
});
