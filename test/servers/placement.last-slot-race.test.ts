import type { RunningAgent } from "@layerboom/agent";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import {
  addHost,
  catalogTiny,
  eventually,
  hostFolders,
  serverGone,
  startTestAgent,
  sweepHost,
} from "../support/hosts.js";
import type { HostFolders } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/**
 * A real host whose agent offers room for exactly one `nano` server (256 MiB). Eight creates
 * race for that slot: the host row lock in the allocation transaction lets exactly one win.
 */
describeOnEachDatabase("eight creates racing for the last slot on %s", (kind) => {
  let c: TestController;
  let folders: HostFolders;
  let agent: RunningAgent | undefined;
  let customer: ApiClient;
  let body: { site_id: string; plan_id: string; image_id: string };

  beforeAll(async () => {
    c = await startTestController(kind, { agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 } });
    const provider = apiClient(c.url, c.adminToken);
    const siteId = (await provider.get("/sites")).body.items[0].id as string;
    const planId = (await provider.get("/plans")).body.items.find((p: any) => p.name === "nano").id as string;
    const { imageId } = await catalogTiny(c);
    folders = await hostFolders();
    const { hostId, joinToken } = await addHost(provider, siteId, `race-${kind}`);
    agent = await startTestAgent(c, folders, { joinToken, limits: { memoryMiB: 300 } });
    await eventually("host up", async () =>
      (await provider.get(`/hosts/${hostId}`)).body.state === "up" ? true : undefined,
    );
    customer = (await createTenant(c, provider, "customer")).api;
    body = { site_id: siteId, plan_id: planId, image_id: imageId };
  }, 240_000);

  afterAll(async () => {
    await agent?.stop();
    if (folders) await sweepHost(folders);
    await c?.close();
  });

  it("lets exactly one win; the others get 409 naming memory", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => customer.post("/servers", { ...body, name: `racer-${i}` })),
    );
    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const r of lost) {
      expect(r.body.error.code).toBe("insufficient_capacity");
      expect(r.body.error.details.short).toEqual(["memory"]);
    }
    const listed = await customer.get("/servers?limit=50");
    expect(listed.body.items).toHaveLength(1);
    const winner = won[0]?.body.id as string;
    await customer.del(`/servers/${winner}`);
    await serverGone(customer, winner, 120_000);
  }, 240_000);
});
