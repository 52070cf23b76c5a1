import { describe, expect, it } from "vitest";
import { OutboundAllowlist, parseAllowEntry } from "./allowlist.js";
import { classifyAddress, literalAddress } from "./classify.js";

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["192.0.2.1", "reserved"],
    ["198.51.100.7", "reserved"],
    ["203.0.113.9", "reserved"],
    ["240.0.0.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["::ffff:127.0.0.1", "ipv4Mapped/loopback"],
    ["::ffff:169.254.169.254", "ipv4Mapped/linkLocal"],
    ["::ffff:0:10.0.0.1", "rfc6145/private"],
    ["64:ff9b::127.0.0.1", "rfc6052/loopback"],
    ["64:ff9b::a9fe:a9fe", "rfc6052/linkLocal"],
    ["64:ff9b:1::1", "rfc6052"],
    ["2002:7f00:1::", "6to4"],
    ["2001::1", "teredo"],
    ["::7f00:1", "notGlobal"],
    ["4000::1", "notGlobal"],
  ])("refuses %s (%s)", (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ public: false, range });
  });

  it.each(["8.8.8.8", "93.184.215.14", "2606:4700::1111", "2a00:1450:4007::64"])(
    "lets %s through",
    (address) => {
      expect(classifyAddress(address).public).toBe(true);
    },
  );

  it("judges IPv4 carried in IPv6 as that IPv4", () => {
    expect(classifyAddress("::ffff:8.8.8.8")).toMatchObject({ public: true, embeddedIpv4: "8.8.8.8" });
    expect(classifyAddress("64:ff9b::808:808")).toMatchObject({ public: true, embeddedIpv4: "8.8.8.8" });
  });
});

describe("literalAddress", () => {
  it("reads the host as the URL parser leaves it", () => {
    for (const [url, address] of [
      ["http://2130706433/", "127.0.0.1"],
      ["http://0x7f000001/", "127.0.0.1"],
      ["http://127.1/", "127.0.0.1"],
      ["http://017700000001/", "127.0.0.1"],
      ["http://0/", "0.0.0.0"],
      ["http://[::1]/", "::1"],
      ["http://[::]/", "::"],
      ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
      ["http://1.1.1.1./", "1.1.1.1"],
    ] as const) {
      expect(literalAddress(new URL(url).hostname), url).toBe(address);
    }
    expect(literalAddress(new URL("http://LOCALHOST./").hostname)).toBeUndefined();
    expect(literalAddress(new URL("http://127.0.0.1.nip.io/").hostname)).toBeUndefined();
  });
});

describe("OutboundAllowlist", () => {
  it("parses names, addresses and ranges, each with an optional port", () => {
    expect(parseAllowEntry("Mirror.Internal.")).toMatchObject({
      kind: "host",
      host: "mirror.internal",
      port: undefined,
    });
    expect(parseAllowEntry("crm.internal:8443")).toMatchObject({
      kind: "host",
      host: "crm.internal",
      port: 8443,
    });
    expect(parseAllowEntry("10.0.0.0/8")).toMatchObject({ kind: "range", port: undefined });
    expect(parseAllowEntry("127.0.0.1:9000")).toMatchObject({ kind: "range", port: 9000 });
    expect(parseAllowEntry("10.0.0.0/8:443")).toMatchObject({ kind: "range", port: 443 });
    expect(parseAllowEntry("fd00::/8")).toMatchObject({ kind: "range", port: undefined });
    expect(parseAllowEntry("[::1]:9000")).toMatchObject({ kind: "range", port: 9000 });
    for (const bad of ["", "10.0.0.0/33", "127.1", "host:0", "host:99999", "bad_name!", "[::1]:x", "a b"]) {
      expect(() => parseAllowEntry(bad), bad).toThrow(/allowlist entry/);
    }
  });

  it("matches exactly the host, range and port it names", () => {
    const allow = OutboundAllowlist.parse("mirror.internal, 10.0.0.0/8:443,127.0.0.1:9000 [fd00::/8]:80");
    expect(allow.size).toBe(4);
    expect(allow.allowsHost("MIRROR.internal.", 1234)).toBe(true);
    expect(allow.allowsHost("other.internal", 80)).toBe(false);
    expect(allow.allowsAddress("10.9.9.9", 443)).toBe(true);
    expect(allow.allowsAddress("10.9.9.9", 80)).toBe(false);
    expect(allow.allowsAddress("127.0.0.1", 9000)).toBe(true);
    expect(allow.allowsAddress("::ffff:127.0.0.1", 9000)).toBe(true);
    expect(allow.allowsAddress("127.0.0.1", 9001)).toBe(false);
    expect(allow.allowsAddress("127.0.0.2", 9000)).toBe(false);
    expect(allow.allowsAddress("fd00::5", 80)).toBe(true);
    expect(new OutboundAllowlist().allowsAddress("127.0.0.1", 80)).toBe(false);
  });
});
