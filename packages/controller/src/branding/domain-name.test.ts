import { describe, expect, it } from "vitest";
import {
  ReservedDomains,
  normalizePortalDomain,
  parseReservedDomain,
  portalDomainOfHost,
} from "./domain-name.js";
import { InvalidPortalDomainError, PortalDomainConflictError } from "./errors.js";

function reasonOf(text: string): string | undefined {
  try {
    normalizePortalDomain(text);
    return undefined;
  } catch (err) {
    if (err instanceof InvalidPortalDomainError) return err.reason;
    throw err;
  }
}

describe("normalizePortalDomain", () => {
  it("lower-cases, drops the trailing dot and turns IDNA into punycode", () => {
    expect(normalizePortalDomain("Portal.Acme.TEST")).toBe("portal.acme.test");
    expect(normalizePortalDomain("  portal.acme.test.  ")).toBe("portal.acme.test");
    expect(normalizePortalDomain("bücher.example")).toBe("xn--bcher-kva.example");
    // Full-width letters and the ideographic full stop map to their ASCII forms (UTS #46).
    expect(normalizePortalDomain("ｐａｎｅｌ。acme.test")).toBe("panel.acme.test");
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["x".repeat(301), "too_long"],
    ["127.0.0.1", "ip_literal"],
    ["127.1", "ip_literal"],
    ["2130706433", "ip_literal"],
    ["0x7f000001", "ip_literal"],
    ["1.2.3.999", "ip_literal"],
    ["portal.123", "ip_literal"],
    ["[::1]", "ip_literal"],
    ["::1", "ip_literal"],
    ["[::ffff:127.0.0.1]:80", "ip_literal"],
    ["127.0.0.1:8080", "ip_literal"],
    ["portal.acme.test:8443", "port"],
    ["portal.acme.test:", "port"],
    ["*.acme.test", "wildcard"],
    ["*", "wildcard"],
    ["http://portal.acme.test", "not_a_hostname"],
    ["portal.acme.test/evil", "not_a_hostname"],
    ["user@portal.acme.test", "not_a_hostname"],
    ["portal.acme.test#x", "not_a_hostname"],
    ["portal%2eacme.test", "not_a_hostname"],
    ["portal..acme.test", "not_a_hostname"],
    [".acme.test", "not_a_hostname"],
    ["acme.test..", "not_a_hostname"],
    ["portal acme.test", "not_a_hostname"],
    ["portal.acme.test\u0000", "not_a_hostname"],
    ["portal_acme.test", "not_a_hostname"],
    ["-portal.acme.test", "not_a_hostname"],
    [`${"a".repeat(64)}.test`, "not_a_hostname"],
    ["portal", "single_label"],
    ["intranet", "local_name"],
    ["localhost", "local_name"],
    ["LOCALHOST.", "local_name"],
    ["panel.localhost", "local_name"],
    ["printer.local", "local_name"],
    ["metadata.google.internal", "local_name"],
    ["1.0.0.127.in-addr.arpa", "local_name"],
  ])("refuses %j (%s)", (text, reason) => {
    expect(reasonOf(text)).toBe(reason);
  });

  it("names the field and the reason in the error", () => {
    const err = (() => {
      try {
        normalizePortalDomain("127.1");
      } catch (e) {
        return e as InvalidPortalDomainError;
      }
    })();
    expect(err?.code).toBe("invalid_input");
    expect(err?.details).toEqual({ field: "domain", reason: "ip_literal" });
  });

  it("gives lookups undefined for a Host that cannot be a portal domain", () => {
    expect(portalDomainOfHost("Portal.Acme.test.")).toBe("portal.acme.test");
    expect(portalDomainOfHost("127.0.0.1")).toBeUndefined();
    expect(portalDomainOfHost("localhost")).toBeUndefined();
  });
});

describe("ReservedDomains", () => {
  const reserved = new ReservedDomains(["panel.provider.test", "Provider.Example.", "0.0.0.0", "[::1]"]);
  const reasonOf = (domain: string, byProvider: boolean) => {
    try {
      reserved.assertClaimable(domain, byProvider);
      return undefined;
    } catch (err) {
      if (err instanceof PortalDomainConflictError) return err.reason;
      throw err;
    }
  };

  it("keeps names in their compared form and leaves out addresses", () => {
    expect([...reserved.names].sort()).toEqual(["panel.provider.test", "provider.example"]);
  });

  it("refuses the names themselves to everyone, their subdomains to all but the provider", () => {
    expect(reasonOf("panel.provider.test", false)).toBe("reserved");
    expect(reasonOf("panel.provider.test", true)).toBe("reserved");
    expect(reasonOf("acme.provider.example", false)).toBe("reserved_subdomain");
    expect(reasonOf("acme.provider.example", true)).toBeUndefined();
    expect(reasonOf("notprovider.example", false)).toBeUndefined();
    expect(reasonOf("portal.acme.test", false)).toBeUndefined();
  });

  it("checks configured entries: host names only", () => {
    expect(parseReservedDomain("Provider.Example.")).toBe("provider.example");
    expect(parseReservedDomain("panel.internal")).toBe("panel.internal");
    for (const bad of ["", "10.0.0.1", "*.provider.example", "provider.example:443", "a..b"])
      expect(() => parseReservedDomain(bad), bad).toThrow(/not a host name/);
  });
});
