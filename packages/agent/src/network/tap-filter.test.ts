import { describe, expect, it } from "vitest";
import {
  TapFilterError,
  parseFilteredTaps,
  renderTapFilter,
  renderTapFilterRemoval,
  tapFilterChain,
} from "./tap-filter.js";

describe("renderTapFilter", () => {
  it("pins the tap to its MAC and addresses in one transaction that replaces its chain", () => {
    const text = renderTapFilter("lbabcdefghjkmnp", "52:54:00:AB:cd:01", ["203.0.113.10/24", "203.0.113.11"]);
    expect(text).toBe(
      [
        "add table bridge layerboom",
        "add map bridge layerboom taps { type ifname : verdict; }",
        "add chain bridge layerboom prerouting { type filter hook prerouting priority -200; policy accept; }",
        "flush chain bridge layerboom prerouting",
        "add rule bridge layerboom prerouting iifname vmap @taps",
        "add chain bridge layerboom tap_lbabcdefghjkmnp",
        "flush chain bridge layerboom tap_lbabcdefghjkmnp",
        "add rule bridge layerboom tap_lbabcdefghjkmnp ether saddr != 52:54:00:ab:cd:01 drop",
        "add rule bridge layerboom tap_lbabcdefghjkmnp ip saddr { 203.0.113.10, 203.0.113.11 } accept",
        "add rule bridge layerboom tap_lbabcdefghjkmnp arp htype 1 arp ptype ip arp hlen 6 arp plen 4 " +
          "arp saddr ether 52:54:00:ab:cd:01 arp saddr ip { 0.0.0.0, 203.0.113.10, 203.0.113.11 } accept",
        "add rule bridge layerboom tap_lbabcdefghjkmnp drop",
        'add element bridge layerboom taps { "lbabcdefghjkmnp" : jump tap_lbabcdefghjkmnp }',
        "",
      ].join("\n"),
    );
  });

  it("lets no IPv4 through without addresses, and lists an address once", () => {
    const none = renderTapFilter("lb1", "52:54:00:00:00:01", []);
    expect(none).not.toContain("ip saddr");
    expect(none).toContain("arp saddr ip { 0.0.0.0 } accept");
    expect(none).toMatch(/tap_lb1 drop\n/);
    const twice = renderTapFilter("lb1", "52:54:00:00:00:01", ["198.51.100.7/24", "198.51.100.7/32"]);
    expect(twice).toContain("ip saddr { 198.51.100.7 } accept");
  });

  it("refuses what could not be a MAC, an address or a tap name (nothing reaches nft unchecked)", () => {
    expect(() => renderTapFilter("lb1", "52:54:00:00:00", ["203.0.113.10"])).toThrow(TapFilterError);
    expect(() => renderTapFilter("lb1", "52:54:00:00:00:01; drop", [])).toThrow(/not a MAC/);
    expect(() => renderTapFilter("lb1", "52:54:00:00:00:01", ["203.0.113.256/24"])).toThrow(/not an IPv4/);
    expect(() => renderTapFilter("lb1", "52:54:00:00:00:01", ["2001:db8::1/64"])).toThrow(/not an IPv4/);
    expect(() => renderTapFilter("lb1", "52:54:00:00:00:01", ["1.2.3.4 } accept"])).toThrow(/not an IPv4/);
    expect(() => renderTapFilter('lb"x', "52:54:00:00:00:01", [])).toThrow(/interface name/);
    expect(() => renderTapFilter("a-very-long-tap-name", "52:54:00:00:00:01", [])).toThrow(/interface name/);
  });

  it("gives every tap name its own chain name, valid for nft", () => {
    expect(tapFilterChain("lbabc")).toBe("tap_lbabc");
    expect(tapFilterChain("lb-a.b_c")).toBe("tap_lb_2da_2eb_5fc");
    expect(tapFilterChain("lb-a")).not.toBe(tapFilterChain("lb_a"));
  });
});

describe("renderTapFilterRemoval", () => {
  it("adds each object before deleting it, so removing an absent filter succeeds", () => {
    expect(renderTapFilterRemoval("lbabc").split("\n")).toEqual([
      "add table bridge layerboom",
      "add map bridge layerboom taps { type ifname : verdict; }",
      "add chain bridge layerboom tap_lbabc",
      'add element bridge layerboom taps { "lbabc" : jump tap_lbabc }',
      'delete element bridge layerboom taps { "lbabc" }',
      "flush chain bridge layerboom tap_lbabc",
      "delete chain bridge layerboom tap_lbabc",
      "",
    ]);
  });
});

describe("parseFilteredTaps", () => {
  it("reads the map's keys from nft -j", () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: "1.0.6" } },
        {
          map: {
            family: "bridge",
            name: "taps",
            table: "layerboom",
            type: "ifname",
            map: "verdict",
            elem: [
              ["lbz", { jump: { target: "tap_lbz" } }],
              ["lba", { jump: { target: "tap_lba" } }],
            ],
          },
        },
      ],
    });
    expect(parseFilteredTaps(json)).toEqual(["lba", "lbz"]);
    expect(parseFilteredTaps(JSON.stringify({ nftables: [{ map: { name: "taps" } }] }))).toEqual([]);
  });
});
