import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import {
  checkIpv4Pool,
  formatIpv4,
  lowestFreeAddress,
  parseIpv4,
  parseIpv4Network,
  poolSize,
  rangesOverlap,
} from "./ipv4.js";

describe("IPv4 addresses", () => {
  it("parses and formats dotted quads, and refuses anything else", () => {
    expect(parseIpv4("203.0.113.10")).toBe(0xcb00710a);
    expect(formatIpv4(0xcb00710a)).toBe("203.0.113.10");
    expect(formatIpv4(parseIpv4("255.255.255.255")!)).toBe("255.255.255.255");
    for (const bad of ["203.0.113", "203.0.113.256", "203.0.113.010", " 1.2.3.4", "1.2.3.4/24", "::1", ""]) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
  });

  it("parses networks and names host bits that should be zero", () => {
    expect(parseIpv4Network("203.0.113.0/24", "cidr")).toEqual({ network: 0xcb007100, prefix: 24 });
    expect(() => parseIpv4Network("203.0.113.5/24", "cidr")).toThrow(
      /host bits set; the network is 203.0.113.0\/24/,
    );
    expect(() => parseIpv4Network("203.0.113.0/31", "cidr")).toThrow(InvalidInputError);
    expect(() => parseIpv4Network("203.0.113.0", "cidr")).toThrow(/not an IPv4 network/);
  });
});

describe("IPv4 pools", () => {
  it("defaults the range to the network's host addresses and skips the gateway", () => {
    const pool = checkIpv4Pool({ cidr: "203.0.113.0/29", gateway: "203.0.113.1" });
    expect([formatIpv4(pool.first), formatIpv4(pool.last)]).toEqual(["203.0.113.1", "203.0.113.6"]);
    expect(poolSize(pool)).toBe(5);
    const taken = new Set<number>();
    const handed: string[] = [];
    for (let a = lowestFreeAddress(pool, taken); a !== undefined; a = lowestFreeAddress(pool, taken)) {
      taken.add(a);
      handed.push(formatIpv4(a));
    }
    expect(handed).toEqual(["203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.6"]);
  });

  it("refuses a gateway, range or resolver outside the network, naming the field", () => {
    const base = { cidr: "203.0.113.0/24", gateway: "203.0.113.1" };
    const fieldOf = (input: Parameters<typeof checkIpv4Pool>[0]) => {
      try {
        checkIpv4Pool(input);
      } catch (err) {
        return (err as InvalidInputError).field;
      }
      return "accepted";
    };
    expect(fieldOf({ ...base, gateway: "198.51.100.1" })).toBe("gateway");
    expect(fieldOf({ ...base, first_address: "203.0.113.0" })).toBe("first_address");
    expect(fieldOf({ ...base, last_address: "203.0.113.255" })).toBe("last_address");
    expect(fieldOf({ ...base, first_address: "203.0.113.50", last_address: "203.0.113.40" })).toBe(
      "last_address",
    );
    expect(fieldOf({ ...base, nameservers: ["dns.example"] })).toBe("nameservers");
    expect(
      fieldOf({
        ...base,
        first_address: "203.0.113.10",
        last_address: "203.0.113.20",
        nameservers: ["9.9.9.9"],
      }),
    ).toBe("accepted");
  });

  it("tells overlapping ranges", () => {
    expect(rangesOverlap({ first: 1, last: 5 }, { first: 5, last: 9 })).toBe(true);
    expect(rangesOverlap({ first: 1, last: 4 }, { first: 5, last: 9 })).toBe(false);
  });
});
