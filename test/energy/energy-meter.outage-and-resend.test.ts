import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { EnergyMeter, findPowerProfile, silentLogger } from "@layerboom/agent";
import type { AgentMessage } from "@layerboom/core";
import { vmIdForServer } from "@layerboom/core";
import { ingestEnergySamples } from "@layerboom/controller";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";

type EnergyFrame = Extract<AgentMessage, { type: "energy" }>;

describe("the agent's energy meter across a controller outage", () => {
  let c: TestController;
  let world: World;
  let busy: ChildProcess;

  beforeAll(async () => {
    c = (await startTestController("pglite"))!;
    world = await buildWorld(c);
    // A real busy process stands in for the server's QEMU.
    busy = spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" });
  });
  afterAll(async () => {
    busy.kill("SIGKILL");
    await c?.close();
  });

  it("keeps samples while the controller is unreachable and resends them; the controller counts each once", async () => {
    let online = true;
    const frames: EnergyFrame[] = [];
    const meter = await EnergyMeter.open({
      hostId: world.hostId,
      profile: findPowerProfile("generic-1s-entry"),
      processes: async () => [{ vmId: vmIdForServer(world.a.serverId), pid: busy.pid!, vcpus: 1 }],
      send: (m) => {
        if (!online) return false;
        if (m.type === "energy") frames.push(m);
        return true;
      },
      logger: silentLogger,
    });
    expect(meter.sourceKind).toBe("model");
    /** What the controller's hub does with a frame: ingest, then acknowledge. */
    const deliver = async (frame: EnergyFrame) => {
      const result = await ingestEnergySamples(
        c.database,
        world.hostId,
        frame.boot_id,
        frame.dropped,
        frame.samples,
      );
      meter.acknowledged(frame.boot_id, result.ackSeq);
      return result;
    };
    const tick = async () => {
      await new Promise((r) => setTimeout(r, 300));
      await meter.sampleOnce();
    };

    await tick();
    await tick();
    expect(frames.map((f) => f.samples.map((s) => s.seq))).toEqual([[1], [2]]);
    const early = frames.splice(0);
    for (const f of early) await deliver(f);
    expect(meter.pendingCount).toBe(0);

    // The controller goes away: samples pile up in the meter.
    online = false;
    await tick();
    await tick();
    await tick();
    expect(frames).toEqual([]);
    expect(meter.pendingCount).toBe(3);

    // It comes back: everything unacknowledged goes out in one frame.
    online = true;
    meter.connected();
    expect(frames.map((f) => f.samples.map((s) => s.seq))).toEqual([[3, 4, 5]]);
    const resent = frames.splice(0)[0]!;
    const first = await deliver(resent);
    expect(first.applied.map((s) => s.seq)).toEqual([3, 4, 5]);
    // The acknowledgement was lost and the agent resends after a reconnect: nothing counts twice.
    const twice = await deliver(resent);
    expect(twice.applied).toEqual([]);
    expect(meter.pendingCount).toBe(0);

    const samples = [...early, resent, ...frames].flatMap((f) => f.samples);
    expect(samples.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(samples.every((s) => s.vms.length === 1 && s.vms[0]!.cpu_time_us > 0)).toBe(true);
    const host = await c.database.db
      .selectFrom("host_energy")
      .selectAll()
      .where("host_id", "=", world.hostId)
      .execute();
    const it = host.reduce((a, h) => a + h.it_energy_uj, 0);
    const cursor = await c.database.db
      .selectFrom("energy_cursors")
      .selectAll()
      .where("boot_id", "=", meter.bootId)
      .executeTakeFirstOrThrow();
    expect(cursor.last_seq).toBe(5);
    // Five samples of modelled host energy, each counted once.
    expect(it).toBeGreaterThan(0);
    const server = await c.database.db
      .selectFrom("server_energy")
      .select((eb) => eb.fn.sum<number>("cpu_time_us").as("cpu"))
      .where("server_id", "=", world.a.serverId)
      .executeTakeFirstOrThrow();
    // Each sample's CPU time counted once: the stored total is exactly the five samples' sum
    // (a double count of the resent frame would add samples 3 to 5 again). How much CPU the busy
    // loop got depends on the host's load, so that is only asked to be some.
    const sent = samples.reduce((a, x) => a + x.vms[0]!.cpu_time_us, 0);
    expect(Number(server.cpu)).toBe(sent);
    expect(sent).toBeGreaterThan(0);
    await meter.stop();
  });
});
