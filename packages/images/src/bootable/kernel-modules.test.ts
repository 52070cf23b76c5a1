import { describe, expect, it } from "vitest";
import { moduleDependencies, moduleLoadOrder } from "./kernel-modules.js";

describe("moduleDependencies", () => {
  it("reads the depends field of .modinfo", () => {
    const ko = Buffer.from("\x7fELF...\0license=GPL\0depends=virtio_ring,virtio\0retpoline=Y\0", "latin1");
    expect(moduleDependencies(ko)).toEqual(["virtio_ring", "virtio"]);
  });

  it("returns nothing for a module without dependencies", () => {
    expect(moduleDependencies(Buffer.from("\0depends=\0name=button\0"))).toEqual([]);
    expect(moduleDependencies(Buffer.from("no modinfo here"))).toEqual([]);
  });
});

describe("moduleLoadOrder", () => {
  const deps: Record<string, string[]> = {
    virtio_ring: [],
    virtio: ["virtio_ring"],
    virtio_pci: ["virtio_ring", "virtio"],
    virtio_net: ["virtio_ring", "virtio", "net_failover"],
    net_failover: ["failover"],
    failover: [],
  };

  it("puts every dependency before its dependents, once", () => {
    const order = moduleLoadOrder(["virtio_net", "virtio_pci"], (n) => deps[n] ?? []);
    expect(order).toEqual(["virtio_ring", "virtio", "failover", "net_failover", "virtio_net", "virtio_pci"]);
  });

  it("rejects a cycle instead of looping", () => {
    expect(() => moduleLoadOrder(["a"], (n) => (n === "a" ? ["b"] : ["a"]))).toThrow(/cycle: a -> b -> a/);
  });
});
