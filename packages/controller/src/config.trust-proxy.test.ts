import { describe, expect, it } from "vitest";
import { ConfigError, compileControllerOptions, parseTrustProxy } from "./config.js";

describe("--trust-proxy / LAYERBOOM_TRUST_PROXY", () => {
  it("believes no proxy by default", () => {
    expect(compileControllerOptions({}, {}).trustProxy).toBe(false);
  });

  it("takes true, a hop count, or addresses, CIDRs and proxy-addr's range names", () => {
    expect(parseTrustProxy("true")).toBe(true);
    expect(parseTrustProxy("false")).toBe(false);
    expect(parseTrustProxy("2")).toBe(2);
    expect(parseTrustProxy("10.0.0.0/8, 192.0.2.7,fd00::/8, loopback")).toEqual([
      "10.0.0.0/8",
      "192.0.2.7",
      "fd00::/8",
      "loopback",
    ]);
    expect(compileControllerOptions({}, { LAYERBOOM_TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(
      compileControllerOptions({ trustProxy: "true" }, { LAYERBOOM_TRUST_PROXY: "false" }).trustProxy,
    ).toBe(true);
  });

  it("refuses what it cannot read, naming the setting", () => {
    for (const bad of ["yes", "0", "11", "10.0.0.0/33", "proxy.example.com"])
      expect(() => parseTrustProxy(bad), bad).toThrow(ConfigError);
    expect(() => parseTrustProxy("10.0.0.1,nonsense")).toThrow(/"nonsense" is not an address or CIDR/);
  });
});

describe("LAYERBOOM_SECRET_KEY", () => {
  it("takes 32 bytes in base64, and refuses anything else", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(compileControllerOptions({}, { LAYERBOOM_SECRET_KEY: key }).secretKey).toHaveLength(32);
    expect(compileControllerOptions({}, {}).secretKey).toBeUndefined();
    expect(() => compileControllerOptions({}, { LAYERBOOM_SECRET_KEY: "c2hvcnQ=" })).toThrow(
      /LAYERBOOM_SECRET_KEY/,
    );
  });
});
