import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import type { HostCapacity } from "../placement/capacity.js";
import { InvalidPlacementRequestError } from "../placement/errors.js";
import { placeServer } from "../placement/placement.js";
import { DEFAULT_PLACEMENT_POLICY } from "../placement/policy.js";
import { ISO_3166_1_ALPHA_2 } from "./iso-3166-1.js";
import {
  ResidencyViolationError,
  jurisdictionCodeProblem,
  jurisdictionSatisfies,
  parseJurisdictionCodes,
  residencyAllows,
  residencyNarrows,
} from "./residency.js";

describe("jurisdictionSatisfies", () => {
  it.each([
    ["CA", "CA", true],
    ["CA", "CA-QC", true],
    ["CA-QC", "CA-QC", true],
    ["CA-QC", "CA", false],
    ["CA-QC", "CA-ON", false],
    ["CA", "US", false],
    ["CA", "CAT", false],
    ["US", "US-NY", true],
    ["CA", "", false],
    ["CA", undefined, false],
    ["CA", null, false],
    ["", "CA", false],
  ] as const)("requiring %j, a site labelled %j: %s", (required, site, expected) => {
    expect(jurisdictionSatisfies(required, site)).toBe(expected);
  });

  it("a subdivision satisfies its own country and nothing else", () => {
    const countries = [...ISO_3166_1_ALPHA_2];
    fc.assert(
      fc.property(
        fc.constantFrom(...countries),
        fc.constantFrom(...countries),
        fc.stringMatching(/^[A-Z0-9]{1,3}$/),
        (required, country, sub) => {
          expect(jurisdictionSatisfies(required, `${country}-${sub}`)).toBe(required === country);
          expect(jurisdictionSatisfies(`${required}-${sub}`, country)).toBe(false);
        },
      ),
    );
  });
});

describe("residencyAllows and residencyNarrows", () => {
  it("no requirement allows every site, labelled or not", () => {
    expect(residencyAllows([], "")).toBe(true);
    expect(residencyAllows([], "US")).toBe(true);
  });

  it("a site satisfying any one of the codes is allowed", () => {
    expect(residencyAllows(["CA-QC", "FR"], "FR")).toBe(true);
    expect(residencyAllows(["CA-QC", "FR"], "CA-QC")).toBe(true);
    expect(residencyAllows(["CA-QC", "FR"], "CA-ON")).toBe(false);
    expect(residencyAllows(["CA-QC", "FR"], "")).toBe(false);
  });

  it.each([
    [["CA"], [], true],
    [["CA-QC"], ["CA"], true],
    [["CA-QC", "CA-ON"], ["CA"], true],
    [["CA"], ["CA"], true],
    [["CA"], ["CA-QC"], false],
    [["CA-QC", "US"], ["CA"], false],
    [[], ["CA"], false],
    [[], [], true],
  ] as const)("%j is at least as strict as %j: %s", (next, current, expected) => {
    expect(residencyNarrows(next, current)).toBe(expected);
  });
});

describe("jurisdiction codes", () => {
  it.each(["CA", "CA-QC", "US-NY", "GB-ENG", "FR-75C", "DE-1"])("%j is a code", (code) => {
    expect(jurisdictionCodeProblem(code)).toBeUndefined();
  });

  it.each([
    ["ca", /not upper case.*"CA"/],
    ["Ca-qc", /not upper case.*"CA-QC"/],
    ["XX", /ISO 3166-1 alpha-2/],
    ["EU", /ISO 3166-1 alpha-2/],
    ["CAN", /ISO 3166-1 alpha-2/],
    ["CA-", /ISO 3166-2/],
    ["CA-QC-X", /longer than|ISO 3166-2/],
    ["CA_QC", /ISO 3166-1 alpha-2/],
    ["C", /ISO 3166-1 alpha-2/],
    ["", /not empty/],
    ["CA".repeat(5000), /longer than a jurisdiction code/],
    [" CA", /ISO 3166-1 alpha-2/],
    ["CA%", /ISO 3166-1 alpha-2/],
  ])("%j is refused: %s", (code, reason) => {
    expect(jurisdictionCodeProblem(code)).toMatch(reason);
  });

  it("a long code is quoted short in the message", () => {
    expect(jurisdictionCodeProblem("A".repeat(100_000))!.length).toBeLessThan(120);
  });

  it("a list names the field and index of the first bad code", () => {
    expect(() => parseJurisdictionCodes("required_jurisdictions", ["CA", "us"])).toThrow(
      expect.objectContaining({
        field: "required_jurisdictions[1]",
        message: expect.stringMatching(/"us".*"US"/),
      }),
    );
    expect(() => parseJurisdictionCodes("required_jurisdictions", [1])).toThrow(InvalidInputError);
  });

  it("a list drops repeats, keeps order, and has at most 20 codes", () => {
    expect(parseJurisdictionCodes("f", ["CA-QC", "CA", "CA-QC"])).toEqual(["CA-QC", "CA"]);
    expect(() =>
      parseJurisdictionCodes(
        "f",
        Array.from({ length: 1000 }, () => "CA"),
      ),
    ).toThrow(/at most 20 jurisdictions, not 1000/);
  });
});

describe("placeServer with required jurisdictions", () => {
  const request = { siteId: "site_qc", vcpus: 1, memoryMiB: 1024, diskGiB: 10 };
  const host = (hostId: string, siteId: string, jurisdiction?: string): HostCapacity => ({
    hostId,
    siteId,
    ...(jurisdiction !== undefined ? { jurisdiction } : {}),
    state: "up",
    cores: 8,
    memoryMiB: 32768,
    diskGiB: 500,
    used: { vcpus: 0, memoryMiB: 0, diskGiB: 0, servers: 0 },
  });
  const hosts = [
    host("host_qc", "site_qc", "CA-QC"),
    host("host_us", "site_us", "US"),
    host("host_x", "site_x"),
  ];

  it("places in a site whose label satisfies the requirement", () => {
    const result = placeServer(
      hosts,
      { ...request, requiredJurisdictions: ["CA"] },
      DEFAULT_PLACEMENT_POLICY,
    );
    expect(result.ok && result.ranked.map((h) => h.hostId)).toEqual(["host_qc"]);
  });

  it("refuses a site outside the requirement with a residency error, not a shortage", () => {
    const place = (siteId: string) =>
      placeServer(hosts, { ...request, siteId, requiredJurisdictions: ["CA"] }, DEFAULT_PLACEMENT_POLICY);
    expect(() => place("site_us")).toThrow(ResidencyViolationError);
    expect(() => place("site_us")).toThrow(/site_us \(jurisdiction US\) is outside .*\(CA\)/);
    expect(() => place("site_x")).toThrow(/site_x \(no jurisdiction\)/);
  });

  it("without a requirement the label does not matter", () => {
    const result = placeServer(hosts, { ...request, siteId: "site_x" }, DEFAULT_PLACEMENT_POLICY);
    expect(result.ok).toBe(true);
  });

  it("refuses a malformed requirement as a bad request", () => {
    expect(() =>
      placeServer(hosts, { ...request, requiredJurisdictions: ["ca"] }, DEFAULT_PLACEMENT_POLICY),
    ).toThrow(InvalidPlacementRequestError);
  });
});
