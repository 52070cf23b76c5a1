import { describe, expect, it } from "vitest";
import { ConfigError, compileControllerOptions } from "./config.js";
import { parseDnsServer } from "./outbound/resolver.js";

describe("outbound settings", () => {
  it("reads LAYERBOOM_OUTBOUND_ALLOW and LAYERBOOM_DNS_SERVERS, flags first; none by default", () => {
    expect(compileControllerOptions({}, {}).outbound).toEqual({ allowlist: [], dnsServers: undefined });
    const fromEnv = compileControllerOptions(
      {},
      {
        LAYERBOOM_OUTBOUND_ALLOW: "mirror.internal, 10.0.0.0/8:443,127.0.0.1:9000",
        LAYERBOOM_DNS_SERVERS: "127.0.0.1:5353,[::1]:53",
      },
    );
    expect(fromEnv.outbound).toEqual({
      allowlist: ["mirror.internal", "10.0.0.0/8:443", "127.0.0.1:9000"],
      dnsServers: ["127.0.0.1:5353", "[::1]:53"],
    });
    const fromFlag = compileControllerOptions(
      { outboundAllow: "crm.internal:8443" },
      { LAYERBOOM_OUTBOUND_ALLOW: "x" },
    );
    expect(fromFlag.outbound.allowlist).toEqual(["crm.internal:8443"]);
  });

  it("stops start-up on an entry it cannot read, naming the setting", () => {
    expect(() => compileControllerOptions({}, { LAYERBOOM_OUTBOUND_ALLOW: "10.0.0.0/40" })).toThrow(
      ConfigError,
    );
    expect(() => compileControllerOptions({}, { LAYERBOOM_OUTBOUND_ALLOW: "10.0.0.0/40" })).toThrow(
      /LAYERBOOM_OUTBOUND_ALLOW: "10.0.0.0\/40" is not an allowlist entry/,
    );
    expect(() => compileControllerOptions({}, { LAYERBOOM_DNS_SERVERS: "dns.example.com" })).toThrow(
      /LAYERBOOM_DNS_SERVERS: "dns.example.com" is not a DNS server address/,
    );
  });

  it("takes DNS servers as address[:port] only", () => {
    expect(parseDnsServer("192.0.2.53")).toBe("192.0.2.53");
    expect(parseDnsServer("192.0.2.53:5353")).toBe("192.0.2.53:5353");
    expect(parseDnsServer("2001:db8::53")).toBe("2001:db8::53");
    expect(parseDnsServer("[2001:db8::53]:5353")).toBe("[2001:db8::53]:5353");
    for (const bad of ["127.1", "1.2.3.4:0", "1.2.3.4:70000", "[::1]:x", "resolver.local"])
      expect(() => parseDnsServer(bad), bad).toThrow(/not a DNS server address/);
  });
});
