import type { AgentOptions, RunningAgent } from "@layerboom/agent";
import { apiClient, startTestController } from "./controller.js";
import type { ApiClient, TestController } from "./controller.js";
import { addHost, catalogTiny, hostFolders, startTestAgent, sweepHost } from "./hosts.js";
import type { HostFolders } from "./hosts.js";
import { createTenant } from "./tenants.js";

/** A controller on PGlite with the tiny image, one host whose real agent runs QEMU, and a customer. */
export interface TinyHost {
  c: TestController;
  folders: HostFolders;
  /** The host's agent; a test that restarts it puts the new one here, so stop() stops it. */
  agent: RunningAgent;
  provider: ApiClient;
  customer: ApiClient;
  customerToken: string;
  hostId: string;
  siteId: string;
  planId: string;
  imageId: string;
  /** Stops the agent, destroys whatever QEMU it left, and closes the controller. */
  stop(): Promise<void>;
}

/**
 * What the QEMU files of `test/servers` start from: a controller polled every 500 ms, the site
 * and `nano` plan the demo catalog has, the tiny image, the host `hostName` joined by a real agent
 * (with `agentOptions`), and a customer tenant to create servers as.
 */
export async function startTinyHost(
  hostName: string,
  agentOptions: Partial<AgentOptions> = {},
): Promise<TinyHost> {
  const c = await startTestController("pglite", {
    agents: { heartbeatIntervalMs: 500, resyncIntervalMs: 500 },
  });
  let folders: HostFolders | undefined;
  let agent: RunningAgent | undefined;
  try {
    const provider = apiClient(c.url, c.adminToken);
    const siteId = (await provider.get("/sites")).body.items[0].id as string;
    const planId = (await provider.get("/plans")).body.items.find((p: any) => p.name === "nano").id as string;
    const { imageId } = await catalogTiny(c);
    folders = await hostFolders();
    const added = await addHost(provider, siteId, hostName);
    agent = await startTestAgent(c, folders, { joinToken: added.joinToken, ...agentOptions });
    const tenant = await createTenant(c, provider, "customer");
    return running(c, folders, agent, {
      provider,
      customer: tenant.api,
      customerToken: tenant.token,
      hostId: added.hostId,
      siteId,
      planId,
      imageId,
    });
  } catch (err) {
    // Nothing outlives a start that failed half-way.
    await agent?.stop();
    if (folders) await sweepHost(folders);
    await c.close();
    throw err;
  }
}

function running(
  c: TestController,
  folders: HostFolders,
  agent: RunningAgent,
  rest: Omit<TinyHost, "c" | "folders" | "agent" | "stop">,
): TinyHost {
  const host: TinyHost = {
    c,
    folders,
    agent,
    ...rest,
    async stop() {
      await host.agent.stop();
      await sweepHost(folders);
      await c.close();
    },
  };
  return host;
}
