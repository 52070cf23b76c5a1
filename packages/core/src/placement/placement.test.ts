import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InsufficientCapacityError } from "../errors.js";
import type { HostCapacity, HostState } from "./capacity.js";
import { fitsOn, freeCapacity } from "./capacity.js";
import {
  InvalidHostCapacityError,
  InvalidPlacementPolicyError,
  InvalidPlacementRequestError,
  PlacementShortageError,
} from "./errors.js";
import type { PlacementResult } from "./placement.js";
import { placeServer } from "./placement.js";
import type { PlacementPolicy } from "./policy.js";
import { compilePlacementPolicy, DEFAULT_PLACEMENT_POLICY } from "./policy.js";

const policy = DEFAULT_PLACEMENT_POLICY;
const request = { siteId: "site_x", vcpus: 4, memoryMiB: 8192, diskGiB: 80 };

function host(
  hostId: string,
  free: {
    cores?: number;
    memoryMiB?: number;
    diskGiB?: number;
    servers?: number;
    state?: HostState;
    siteId?: string;
  } = {},
): HostCapacity {
  return {
    hostId,
    siteId: free.siteId ?? "site_x",
    state: free.state ?? "up",
    cores: free.cores ?? 8,
    memoryMiB: free.memoryMiB ?? 32768,
    diskGiB: free.diskGiB ?? 500,
    used: { vcpus: 0, memoryMiB: 0, diskGiB: 0, servers: free.servers ?? 0 },
  };
}

const ids = (result: PlacementResult) =>
  result.ok ? result.ranked.map((h) => h.hostId) : result.shortage.reason;

function shortageOf(result: PlacementResult) {
  if (result.ok) throw new Error(`expected a shortage, got ${result.ranked.map((h) => h.hostId).join(", ")}`);
  return result.shortage;
}

describe("placeServer filters", () => {
  it("keeps only up hosts of the requested site that fit", () => {
    const hosts = [
      host("host_big_elsewhere", { siteId: "site_y", memoryMiB: 1 << 20 }),
      host("host_down", { state: "down", memoryMiB: 1 << 20 }),
      host("host_pending", { state: "pending" }),
      host("host_removed", { state: "removed" }),
      host("host_small", { memoryMiB: 4096 }),
      host("host_ok"),
    ];
    expect(ids(placeServer(hosts, request, policy))).toEqual(["host_ok"]);
  });

  it("sells cores times the CPU overcommit", () => {
    const hosts = [host("host_a", { cores: 1 })];
    expect(ids(placeServer(hosts, { ...request, vcpus: 4 }, policy))).toEqual(["host_a"]);
    expect(ids(placeServer(hosts, { ...request, vcpus: 5 }, policy))).toBe("insufficient-capacity");
    expect(
      ids(placeServer(hosts, { ...request, vcpus: 2 }, compilePlacementPolicy({ cpuOvercommit: 1 }))),
    ).toBe("insufficient-capacity");
  });

  it("skips hosts named for anti-affinity", () => {
    const hosts = [host("host_a", { memoryMiB: 65536 }), host("host_b")];
    expect(ids(placeServer(hosts, { ...request, avoidHostIds: ["host_a"] }, policy))).toEqual(["host_b"]);
  });
});

describe("placeServer ranking", () => {
  const hosts = [
    host("host_roomy", { memoryMiB: 65536 }),
    host("host_tight", { memoryMiB: 10240 }),
    host("host_mid", { memoryMiB: 32768 }),
  ];

  it("spreads by default: most free memory first", () => {
    expect(ids(placeServer(hosts, request, policy))).toEqual(["host_roomy", "host_mid", "host_tight"]);
  });

  it("packs on request: least free memory that still fits first", () => {
    const withFull = [...hosts, host("host_full", { memoryMiB: 4096 })];
    expect(ids(placeServer(withFull, { ...request, strategy: "pack" }, policy))).toEqual([
      "host_tight",
      "host_mid",
      "host_roomy",
    ]);
  });

  it("breaks memory ties by server count, then by host id", () => {
    const tied = [
      host("host_c", { servers: 2 }),
      host("host_b", { servers: 1 }),
      host("host_a", { servers: 2 }),
    ];
    expect(ids(placeServer(tied, request, policy))).toEqual(["host_b", "host_a", "host_c"]);
    expect(ids(placeServer(tied, { ...request, strategy: "pack" }, policy))).toEqual([
      "host_a",
      "host_c",
      "host_b",
    ]);
  });

  it("is deterministic whatever the input order", () => {
    const tied = [host("host_c"), host("host_a"), host("host_b"), ...hosts];
    const expected = ids(placeServer(tied, request, policy));
    expect(ids(placeServer([...tied].reverse(), request, policy))).toEqual(expected);
    expect(ids(placeServer([...tied.slice(3), ...tied.slice(0, 3)], request, policy))).toEqual(expected);
  });

  it("adds extra scores, such as an energy weigher's, to the strategy's", () => {
    const extraScores = new Map([["host_roomy", 2]]);
    expect(ids(placeServer(hosts, request, policy, { extraScores }))).toEqual([
      "host_mid",
      "host_tight",
      "host_roomy",
    ]);
    expect(() =>
      placeServer(hosts, request, policy, { extraScores: new Map([["host_mid", Number.NaN]]) }),
    ).toThrow(InvalidPlacementPolicyError);
  });
});

describe("placeServer shortages", () => {
  it("says when the site has no hosts", () => {
    const shortage = shortageOf(
      placeServer(
        [host("host_a", { siteId: "site_y" }), host("host_b", { state: "removed" })],
        request,
        policy,
      ),
    );
    expect(shortage).toMatchObject({ reason: "no-host-in-site", short: [] });
    expect(shortage.message).toBe(
      "No host in site site_x can take 4 vCPU / 8192 MiB / 80 GiB: the site has no hosts.",
    );
  });

  it("says when no host is up, with the states", () => {
    const hosts = [
      host("host_a", { state: "down" }),
      host("host_b", { state: "down" }),
      host("host_c", { state: "pending" }),
    ];
    const shortage = shortageOf(placeServer(hosts, request, policy));
    expect(shortage.reason).toBe("no-host-up");
    expect(shortage.message).toBe(
      "No host in site site_x can take 4 vCPU / 8192 MiB / 80 GiB: none of its 3 hosts is up (2 down, 1 pending).",
    );
    expect(shortage.details).toMatchObject({ hostsInSite: 3, hostsUp: 0, hostsAvoided: 0 });
    expect(shortage.details.largestFree).toBeUndefined();
  });

  it("says when anti-affinity excludes every up host", () => {
    const hosts = [host("host_a"), host("host_b"), host("host_c", { state: "down" })];
    const shortage = shortageOf(
      placeServer(hosts, { ...request, avoidHostIds: ["host_a", "host_b"] }, policy),
    );
    expect(shortage.reason).toBe("all-hosts-avoided");
    expect(shortage.message).toBe(
      "No host in site site_x can take 4 vCPU / 8192 MiB / 80 GiB: all 2 of its up hosts are excluded by anti-affinity.",
    );
  });

  it("names memory and disk with the largest free amounts", () => {
    const hosts = [
      host("host_a", { memoryMiB: 2048, diskGiB: 40 }),
      host("host_b", { memoryMiB: 1024, diskGiB: 20 }),
    ];
    const shortage = shortageOf(placeServer(hosts, request, policy));
    expect(shortage).toMatchObject({ reason: "insufficient-capacity", short: ["memory", "disk"] });
    expect(shortage.message).toBe(
      "No host in site site_x has room for 4 vCPU / 8192 MiB / 80 GiB: short of memory (largest free 2048 MiB) and disk (largest free 40 GiB).",
    );
    expect(shortage.details.largestFree).toEqual({ vcpus: 32, memoryMiB: 2048, diskGiB: 40 });
  });

  it.each([
    ["cores", { cores: 0 }, "cores (largest free 0 vCPU)"],
    ["memory", { memoryMiB: 100 }, "memory (largest free 100 MiB)"],
    ["disk", { diskGiB: 79 }, "disk (largest free 79 GiB)"],
  ] as const)("names %s alone when only it is short", (resource, free, text) => {
    const shortage = shortageOf(placeServer([host("host_a", free)], request, policy));
    expect(shortage.short).toEqual([resource]);
    expect(shortage.message).toContain(`: short of ${text}.`);
  });

  it("lists all three resources", () => {
    const shortage = shortageOf(
      placeServer([host("host_a", { cores: 0, memoryMiB: 0, diskGiB: 0 })], request, policy),
    );
    expect(shortage.message).toContain(
      "short of cores (largest free 0 vCPU), memory (largest free 0 MiB) and disk (largest free 0 GiB).",
    );
  });

  it("says so when each resource fits somewhere but no single host has all", () => {
    const hosts = [host("host_cpu", { memoryMiB: 1024 }), host("host_mem", { cores: 0 })];
    const shortage = shortageOf(placeServer(hosts, request, policy));
    expect(shortage.short).toEqual([]);
    expect(shortage.message).toBe(
      "No host in site site_x has room for 4 vCPU / 8192 MiB / 80 GiB: each resource is free on some host, but no single host has all of them (largest free 32 vCPU, 32768 MiB, 500 GiB, on different hosts).",
    );
  });

  it("does not count hosts excluded by anti-affinity and says they were skipped", () => {
    const hosts = [host("host_roomy", { memoryMiB: 65536 }), host("host_small", { memoryMiB: 2048 })];
    const shortage = shortageOf(placeServer(hosts, { ...request, avoidHostIds: ["host_roomy"] }, policy));
    expect(shortage.short).toEqual(["memory"]);
    expect(shortage.message).toMatch(
      /largest free 2048 MiB\)\. 1 up host excluded by anti-affinity was not considered\.$/,
    );
    expect(shortage.details).toMatchObject({ hostsInSite: 2, hostsUp: 2, hostsAvoided: 1 });
  });

  it("becomes a 409-mapped InsufficientCapacityError", () => {
    const capacity = new PlacementShortageError(
      shortageOf(placeServer([host("host_a", { diskGiB: 1 })], request, policy)),
    );
    expect(capacity).toBeInstanceOf(InsufficientCapacityError);
    expect(capacity).toMatchObject({ code: "insufficient_capacity", short: ["disk"] });
    expect(capacity.details).toEqual({ short: ["disk"], reason: "insufficient-capacity" });
    const none = new PlacementShortageError(shortageOf(placeServer([], request, policy)));
    expect(none.short).toEqual(["hosts"]);
    expect(none.message).toContain("the site has no hosts");
  });
});

describe("placeServer validation", () => {
  it("rejects bad requests with the field", () => {
    expect(() => placeServer([], { ...request, memoryMiB: 0 }, policy)).toThrow(
      expect.objectContaining({ name: "InvalidPlacementRequestError", field: "memoryMiB" }),
    );
    expect(() => placeServer([], { ...request, siteId: "" }, policy)).toThrow(InvalidPlacementRequestError);
    expect(() => placeServer([], { ...request, strategy: "random" as never }, policy)).toThrow(
      expect.objectContaining({ field: "strategy" }),
    );
  });

  it("rejects bad host rows and repeated host ids", () => {
    expect(() => placeServer([host("host_a"), host("host_a")], request, policy)).toThrow(
      expect.objectContaining({ name: "InvalidHostCapacityError", hostId: "host_a", field: "hostId" }),
    );
    expect(() => placeServer([host("host_a", { diskGiB: Number.NaN })], request, policy)).toThrow(
      InvalidHostCapacityError,
    );
  });

  it("rejects a hand-built policy that compilePlacementPolicy would refuse", () => {
    const bad: PlacementPolicy = { ...policy, memoryOvercommit: 0 };
    expect(() => placeServer([], request, bad)).toThrow(
      expect.objectContaining({ field: "memoryOvercommit" }),
    );
  });
});

describe("placeServer properties", () => {
  const SITES = ["site_x", "site_y"];
  const STATES: HostState[] = ["pending", "up", "up", "up", "down", "removed"];
  const hostArb = (hostId: string): fc.Arbitrary<HostCapacity> =>
    fc.record({
      hostId: fc.constant(hostId),
      siteId: fc.constantFrom(...SITES),
      state: fc.constantFrom(...STATES),
      cores: fc.integer({ min: 0, max: 16 }),
      memoryMiB: fc.integer({ min: 0, max: 65536 }),
      diskGiB: fc.integer({ min: 0, max: 1000 }),
      used: fc.record({
        vcpus: fc.integer({ min: 0, max: 64 }),
        memoryMiB: fc.integer({ min: 0, max: 65536 }),
        diskGiB: fc.integer({ min: 0, max: 1000 }),
        servers: fc.integer({ min: 0, max: 20 }),
      }),
    });
  const hostsArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 })
    .chain((ns) => fc.tuple(...ns.map((n) => hostArb(`host_${n}`))));
  const requestArb = fc.record({
    siteId: fc.constantFrom(...SITES),
    vcpus: fc.integer({ min: 1, max: 16 }),
    memoryMiB: fc.integer({ min: 1, max: 32768 }),
    diskGiB: fc.integer({ min: 1, max: 500 }),
    strategy: fc.constantFrom("spread" as const, "pack" as const, undefined),
    avoidHostIds: fc.array(
      fc.integer({ min: 0, max: 30 }).map((n) => `host_${n}`),
      { maxLength: 4 },
    ),
  });
  const policyArb = fc
    .record({
      cpuOvercommit: fc.constantFrom(1, 2, 4, 0.5, 1.5),
      memoryOvercommit: fc.constantFrom(1, 1.2, 0.9),
      diskOvercommit: fc.constantFrom(1, 2),
      reservedMemoryMiB: fc.constantFrom(0, 1024),
    })
    .map(compilePlacementPolicy);
  const caseArb = fc.tuple(hostsArb, requestArb, policyArb);

  const eligible = (
    hosts: readonly HostCapacity[],
    req: { readonly siteId: string; readonly avoidHostIds: readonly string[] },
  ) =>
    hosts.filter((h) => h.siteId === req.siteId && h.state === "up" && !req.avoidHostIds.includes(h.hostId));

  it("ranks exactly the eligible hosts that fit, and nothing else", () => {
    fc.assert(
      fc.property(caseArb, ([hosts, req, pol]) => {
        const result = placeServer(hosts, req, pol);
        const fitting = eligible(hosts, req).filter((h) => fitsOn(h, req, pol).fits);
        if (result.ok) {
          for (const h of result.ranked) {
            expect(h.siteId).toBe(req.siteId);
            expect(h.state).toBe("up");
            expect(req.avoidHostIds).not.toContain(h.hostId);
            expect(fitsOn(h, req, pol).fits).toBe(true);
          }
          expect(new Set(result.ranked.map((h) => h.hostId))).toEqual(new Set(fitting.map((h) => h.hostId)));
          expect(result.ranked.length).toBeGreaterThan(0);
        } else {
          expect(fitting).toEqual([]);
        }
      }),
    );
  });

  it("names as short exactly the resources no eligible host has enough of", () => {
    fc.assert(
      fc.property(caseArb, ([hosts, req, pol]) => {
        const result = placeServer(hosts, req, pol);
        if (result.ok) return;
        const { shortage } = result;
        const candidates = eligible(hosts, req);
        if (candidates.length === 0) {
          expect(shortage.reason).not.toBe("insufficient-capacity");
          expect(shortage.short).toEqual([]);
          return;
        }
        expect(shortage.reason).toBe("insufficient-capacity");
        const free = candidates.map((h) => freeCapacity(h, pol));
        const expected = (
          [
            ["cores", "vcpus"],
            ["memory", "memoryMiB"],
            ["disk", "diskGiB"],
          ] as const
        )
          .filter(([, field]) => free.every((f) => f[field] < req[field]))
          .map(([resource]) => resource);
        expect(shortage.short).toEqual(expected);
        for (const resource of expected) expect(shortage.message).toContain(`${resource} (largest free `);
        if (expected.length === 0) expect(shortage.message).toContain("no single host has all of them");
      }),
    );
  });

  it("depends only on the set of hosts, not their order", () => {
    const shuffledArb = caseArb.chain(([hosts, req, pol]) =>
      fc.tuple(
        fc.constant(hosts),
        fc.shuffledSubarray(hosts, { minLength: hosts.length, maxLength: hosts.length }),
        fc.constant(req),
        fc.constant(pol),
      ),
    );
    fc.assert(
      fc.property(shuffledArb, ([hosts, shuffled, req, pol]) => {
        expect(placeServer(shuffled, req, pol)).toEqual(placeServer(hosts, req, pol));
      }),
    );
  });

  it("orders spread by non-increasing and pack by non-decreasing free memory", () => {
    fc.assert(
      fc.property(caseArb, ([hosts, req, pol]) => {
        const result = placeServer(hosts, req, pol);
        if (!result.ok) return;
        const memory = result.ranked.map((h) => freeCapacity(h, pol).memoryMiB);
        for (let i = 1; i < memory.length; i++) {
          if (req.strategy === "pack") expect(memory[i]!).toBeGreaterThanOrEqual(memory[i - 1]!);
          else expect(memory[i]!).toBeLessThanOrEqual(memory[i - 1]!);
        }
      }),
    );
  });
});
