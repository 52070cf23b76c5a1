import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { runProgram } from "@layerboom/sys";

/**
 * A private L2 segment for guests: a bridge with no address and no uplink, and a network
 * namespace plugged into it by a veth pair, holding the gateway address. Nothing is routed or
 * forwarded, so guests' traffic never leaves the bridge and the namespace.
 */
export interface NetworkSegment {
  bridge: string;
  netns: string;
  gateway: string;
  build(): Promise<void>;
  /** Removes what exists of it, whatever a failed set-up left; never throws. */
  remove(): Promise<void>;
  /** Runs a program inside the namespace. */
  run(program: string, args: string[], timeoutMs?: number): Promise<{ stdout: string }>;
  /**
   * What a failed connection needs to be explained: the namespace's addresses and neighbours,
   * the bridge's ports and forwarding table, and the agent's anti-spoofing table. Never throws.
   */
  diagnose(): Promise<string>;
}

function ip(args: string[]): Promise<unknown> {
  return runProgram("ip", args, { timeoutMs: 15_000 });
}

/** Turns IPv6 off on a host interface, so not even a link-local address sits on our bridge. */
function noIpv6(dev: string): void {
  const knob = `/proc/sys/net/ipv6/conf/${dev}/disable_ipv6`;
  if (existsSync(knob)) writeFileSync(knob, "1");
}

/** A segment named `<prefix>br<hex>` / `<prefix>ns<hex>` whose namespace holds `gateway/prefixLength`. */
export function networkSegment(prefix: string, gateway: string, prefixLength = 24): NetworkSegment {
  const suffix = randomBytes(2).toString("hex");
  const bridge = `${prefix}br${suffix}`;
  const netns = `${prefix}ns${suffix}`;
  const vethNs = `${prefix}v${suffix}n`;
  const vethBr = `${prefix}v${suffix}b`;
  return {
    bridge,
    netns,
    gateway,
    async build() {
      await ip(["link", "add", "name", bridge, "type", "bridge"]);
      noIpv6(bridge);
      await ip(["netns", "add", netns]);
      await ip(["link", "add", vethBr, "type", "veth", "peer", "name", vethNs]);
      noIpv6(vethBr);
      await ip(["link", "set", "dev", vethNs, "netns", netns]);
      await ip(["-n", netns, "addr", "add", `${gateway}/${prefixLength}`, "dev", vethNs]);
      await ip(["-n", netns, "link", "set", "dev", vethNs, "up"]);
      await ip(["-n", netns, "link", "set", "dev", "lo", "up"]);
      await ip(["link", "set", "dev", vethBr, "master", bridge]);
      await ip(["link", "set", "dev", vethBr, "up"]);
      await ip(["link", "set", "dev", bridge, "up"]);
    },
    async remove() {
      // Each step on its own: a failed set-up may have made only some of them.
      await ip(["netns", "del", netns]).catch(() => undefined);
      if (existsSync(`/sys/class/net/${vethBr}`))
        await ip(["link", "del", "dev", vethBr]).catch(() => undefined);
      if (existsSync(`/sys/class/net/${bridge}`))
        await ip(["link", "del", "dev", bridge]).catch(() => undefined);
    },
    run(program, args, timeoutMs = 30_000) {
      return runProgram("ip", ["netns", "exec", netns, program, ...args], { timeoutMs, input: "" });
    },
    async diagnose() {
      const probes: [string, string[]][] = [
        ["ip", ["-n", netns, "addr", "show"]],
        ["ip", ["-n", netns, "neigh", "show"]],
        ["bridge", ["link", "show", "master", bridge]],
        ["bridge", ["fdb", "show", "br", bridge]],
        ["nft", ["list", "table", "bridge", "layerboom"]],
      ];
      const parts: string[] = [];
      for (const [program, args] of probes) {
        const out = await runProgram(program, args, { timeoutMs: 15_000 }).then(
          (r) => r.stdout,
          (err: Error) => `(failed: ${err.message})`,
        );
        parts.push(`$ ${program} ${args.join(" ")}\n${out.trimEnd()}`);
      }
      return parts.join("\n");
    },
  };
}
