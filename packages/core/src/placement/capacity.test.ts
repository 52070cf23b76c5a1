import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import type { HostCapacity } from "./capacity.js";
import { fitsOn, freeCapacity } from "./capacity.js";
import {
  InvalidHostCapacityError,
  InvalidPlacementPolicyError,
  InvalidPlacementRequestError,
} from "./errors.js";
import { compilePlacementPolicy, DEFAULT_PLACEMENT_POLICY } from "./policy.js";

const host = (over: Partial<HostCapacity> = {}): HostCapacity => ({
  hostId: "host_a",
  siteId: "site_x",
  state: "up",
  cores: 8,
  memoryMiB: 32768,
  diskGiB: 500,
  used: { vcpus: 0, memoryMiB: 0, diskGiB: 0, servers: 0 },
  ...over,
});

describe("compilePlacementPolicy", () => {
  it("fills defaults", () => {
    expect(compilePlacementPolicy()).toEqual({
      cpuOvercommit: 4,
      memoryOvercommit: 1,
      diskOvercommit: 1,
      reservedMemoryMiB: 0,
    });
    expect(compilePlacementPolicy({ memoryOvercommit: 1.5 }).memoryOvercommit).toBe(1.5);
    expect(Object.isFrozen(DEFAULT_PLACEMENT_POLICY)).toBe(true);
  });

  it("rejects ratios that are not positive and finite, and fractional or negative reserves", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => compilePlacementPolicy({ cpuOvercommit: bad })).toThrow(InvalidPlacementPolicyError);
    }
    expect(() => compilePlacementPolicy({ reservedMemoryMiB: -1 })).toThrow(InvalidPlacementPolicyError);
    expect(() => compilePlacementPolicy({ reservedMemoryMiB: 1.5 })).toThrow(
      expect.objectContaining({ field: "reservedMemoryMiB", value: 1.5 }),
    );
  });
});

describe("freeCapacity", () => {
  it("overcommits, takes the reserve off memory first, and subtracts reservations", () => {
    const policy = compilePlacementPolicy({
      cpuOvercommit: 4,
      memoryOvercommit: 1.5,
      reservedMemoryMiB: 2048,
    });
    const h = host({ used: { vcpus: 10, memoryMiB: 4096, diskGiB: 100, servers: 3 } });
    expect(freeCapacity(h, policy)).toEqual({
      vcpus: 22,
      memoryMiB: (32768 - 2048) * 1.5 - 4096,
      diskGiB: 400,
    });
  });

  it("does not lose a unit to binary rounding of the ratio", () => {
    expect(freeCapacity(host({ cores: 100 }), compilePlacementPolicy({ cpuOvercommit: 0.57 })).vcpus).toBe(
      57,
    );
  });

  it("goes negative when a stricter policy leaves the host overcommitted", () => {
    const h = host({ used: { vcpus: 40, memoryMiB: 0, diskGiB: 0, servers: 5 } });
    expect(freeCapacity(h, DEFAULT_PLACEMENT_POLICY).vcpus).toBe(-8);
  });

  it("never counts a reserve larger than the host as negative memory", () => {
    expect(
      freeCapacity(host({ memoryMiB: 1024 }), compilePlacementPolicy({ reservedMemoryMiB: 4096 })).memoryMiB,
    ).toBe(0);
  });
});

describe("fitsOn", () => {
  const request = { vcpus: 4, memoryMiB: 8192, diskGiB: 80 };

  it("fits exactly at the limit", () => {
    const h = host({ cores: 1, memoryMiB: 8192, diskGiB: 80 });
    expect(fitsOn(h, request, DEFAULT_PLACEMENT_POLICY)).toEqual({ fits: true, short: [] });
  });

  it("names every short resource in the order cores, memory, disk", () => {
    const h = host({ cores: 0, memoryMiB: 8191, diskGiB: 79 });
    expect(fitsOn(h, request, DEFAULT_PLACEMENT_POLICY)).toEqual({
      fits: false,
      short: ["cores", "memory", "disk"],
    });
    const busy = host({ used: { vcpus: 0, memoryMiB: 30000, diskGiB: 0, servers: 1 } });
    expect(fitsOn(busy, request, DEFAULT_PLACEMENT_POLICY).short).toEqual(["memory"]);
  });

  it("ignores state and site, which the caller checks on the locked row", () => {
    expect(fitsOn(host({ state: "down", siteId: "elsewhere" }), request, DEFAULT_PLACEMENT_POLICY).fits).toBe(
      true,
    );
  });

  it("rejects malformed hosts and requests with typed errors naming the field", () => {
    expect(() => fitsOn(host({ cores: -1 }), request, DEFAULT_PLACEMENT_POLICY)).toThrow(
      expect.objectContaining({ name: "InvalidHostCapacityError", hostId: "host_a", field: "cores" }),
    );
    const used = { vcpus: 0, memoryMiB: 0.5, diskGiB: 0, servers: 0 };
    expect(() => fitsOn(host({ used }), request, DEFAULT_PLACEMENT_POLICY)).toThrow(InvalidHostCapacityError);
    expect(() => fitsOn(host({ state: "gone" as never }), request, DEFAULT_PLACEMENT_POLICY)).toThrow(
      expect.objectContaining({ field: "state" }),
    );
    for (const vcpus of [0, -1, 1.5, Number.NaN]) {
      const thrown = (() => {
        try {
          fitsOn(host(), { ...request, vcpus }, DEFAULT_PLACEMENT_POLICY);
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(thrown).toBeInstanceOf(InvalidPlacementRequestError);
      expect(thrown).toBeInstanceOf(InvalidInputError);
      expect(thrown).toMatchObject({ field: "vcpus", code: "invalid_input" });
    }
  });
});
