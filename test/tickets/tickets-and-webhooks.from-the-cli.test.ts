import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { runCli } from "../support/hosts.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";

describe("tickets and webhooks from the CLI", () => {
  let c: TestController;
  let world: World;

  beforeAll(async () => {
    c = await startTestController("pglite", { webhooks: { dispatcher: false } });
    world = await buildWorld(c);
  });
  afterAll(async () => c?.close());

  it("opens, answers and closes a ticket", async () => {
    const open = await runCli(c, world.customer1.token, [
      "-o",
      "json",
      "tickets",
      "open",
      "Disk full",
      "--message",
      "web1 says ENOSPC",
      "--server",
      world.a.serverId,
    ]);
    expect(open.code, open.output).toBe(0);
    const id = (JSON.parse(open.output) as { id: string }).id;

    const reply = await runCli(c, world.reseller1.token, ["tickets", "reply", id, "Resize it, please."]);
    expect(reply.code, reply.output).toBe(0);
    expect(reply.output).toContain("pending");
    expect(reply.output).toContain("Resize it, please.");

    const list = await runCli(c, world.reseller1.token, ["tickets", "list", "--status", "pending"]);
    expect(list.output).toContain(id);
    const close = await runCli(c, world.customer1.token, ["tickets", "close", id]);
    expect(close.code, close.output).toBe(0);
    expect(close.output).toContain("closed");
    const hidden = await runCli(c, world.customer2.token, ["tickets", "show", id]);
    expect(hidden.code).not.toBe(0);
    expect(hidden.output).toContain(id);
  });

  it("adds, lists, inspects and removes a webhook", async () => {
    const bad = await runCli(c, world.reseller1.token, [
      "webhooks",
      "add",
      "https://crm.test/hook",
      "--events",
      "server.exploded",
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain("server.exploded");
    const add = await runCli(c, world.reseller1.token, [
      "-o",
      "json",
      "webhooks",
      "add",
      "https://crm.test/hook",
      "--events",
      "server.created,invoice.paid",
    ]);
    expect(add.code, add.output).toBe(0);
    const hook = JSON.parse(add.output) as { id: string; secret: string };
    expect(hook.secret).toMatch(/^whsec_/);
    const list = await runCli(c, world.reseller1.token, ["webhooks", "list"]);
    expect(list.output).toContain(hook.id);
    expect(list.output).not.toContain(hook.secret);
    const deliveries = await runCli(c, world.reseller1.token, ["webhooks", "deliveries", hook.id]);
    expect(deliveries.code, deliveries.output).toBe(0);
    const remove = await runCli(c, world.reseller1.token, ["webhooks", "remove", hook.id]);
    expect(remove.code, remove.output).toBe(0);
    expect(remove.output).toContain(`removed ${hook.id}`);
  });
});
