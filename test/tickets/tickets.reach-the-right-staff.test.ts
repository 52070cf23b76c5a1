import { createSmtpMailer } from "@layerboom/controller";
import type { Mailer } from "@layerboom/controller";
import { newId } from "@layerboom/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { startSmtpSink } from "./smtp-sink.js";
import type { SmtpSink } from "./smtp-sink.js";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("support tickets on %s", (kind) => {
  let c: TestController;
  let sink: SmtpSink;
  let world: World;
  let memberEmail: string;
  let smtpDown = false;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const real = createSmtpMailer({ smtpUrl: sink.url, from: "support@provider.test" });
    const mailer: Mailer = {
      send: (m) => (smtpDown ? Promise.reject(new Error("SMTP is down (test)")) : real.send(m)),
      close: () => real.close(),
    };
    c = await startTestController(kind, { mailer, publicUrl: "https://panel.provider.test" });
    world = await buildWorld(c);
    const member = await world.customer1.api.get(`/users/${world.a.memberUserId}`);
    memberEmail = member.body.email as string;
  });
  afterAll(async () => {
    await c?.close();
    await sink?.close();
  });

  const about = (ticketId: string) => (m: { subject: string }) => m.subject.includes(ticketId);

  it("sends a reseller's customer's ticket to the reseller's staff only, and never shows it to anyone else", async () => {
    const opened = await world.customer1.api.post("/tickets", {
      subject: "Cannot reach web1",
      body: "Port 22 times out.",
      server_id: world.a.serverId,
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.id as string;
    expect(opened.body).toMatchObject({
      status: "open",
      account_id: world.customer1.accountId,
      handler_account_id: world.reseller1.accountId,
      server_id: world.a.serverId,
    });
    expect(opened.body.messages).toHaveLength(1);

    const [mail] = await sink.waitFor(about(id));
    expect(mail!.to).toEqual([world.reseller1.email]);
    expect(mail!.subject).toContain("Cannot reach web1");
    expect(mail!.raw).toContain(`https://panel.provider.test/tickets/${id}`);

    const staffList = await world.reseller1.api.get("/tickets?status=open");
    expect((staffList.body.items as { id: string }[]).map((t) => t.id)).toContain(id);
    expect((await world.reseller1.api.get(`/tickets/${id}`)).status).toBe(200);

    const ghost = newId("ticket");
    for (const outsider of [world.provider, world.reseller2.api, world.customer2.api, world.customer3.api]) {
      const res = await outsider.get(`/tickets/${id}`);
      const missing = await outsider.get(`/tickets/${ghost}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message.replace(id, "ID")).toBe(missing.body.error.message.replace(ghost, "ID"));
      const reply = await outsider.post(`/tickets/${id}/messages`, { body: "hi" });
      expect(reply.status).toBe(404);
      const list = await outsider.get("/tickets?limit=200");
      expect((list.body.items as { id: string }[]).map((t) => t.id)).not.toContain(id);
    }
    expect(sink.mails.filter((m) => m.to.includes("admin@provider.test") && about(id)(m))).toEqual([]);
  });

  it("flips between pending and open with each side's reply, mails the other side, and audits the changes", async () => {
    const opened = await world.customer1.api.post("/tickets", { subject: "Billing question", body: "Why?" });
    const id = opened.body.id as string;
    await sink.waitFor(about(id));

    const staff = await world.reseller1.api.post(`/tickets/${id}/messages`, { body: "Because." });
    expect(staff.status, JSON.stringify(staff.body)).toBe(201);
    expect(staff.body.status).toBe("pending");
    expect(staff.body.messages.map((m: { side: string }) => m.side)).toEqual(["customer", "staff"]);
    const toCustomer = await sink.waitFor((m) => about(id)(m) && m.subject.startsWith("Reply"), 2);
    expect(toCustomer.flatMap((m) => m.to).sort()).toEqual([world.customer1.email, memberEmail].sort());
    expect(toCustomer[0]!.raw).toContain("Because.");

    const back = await world.customer1.api.post(`/tickets/${id}/messages`, { body: "Thanks, but no." });
    expect(back.body.status).toBe("open");
    await sink.waitFor(
      (m) => about(id)(m) && m.subject.startsWith("Customer reply") && m.to.includes(world.reseller1.email),
    );

    const notYours = await world.customer1.api.patch(`/tickets/${id}`, { status: "pending" });
    expect(notYours.status).toBe(403);
    expect(notYours.body.error.message).toContain("pending");
    const bad = await world.reseller1.api.patch(`/tickets/${id}`, { status: "solved" });
    expect(bad.status).toBe(400);

    const closed = await world.reseller1.api.patch(`/tickets/${id}`, { status: "closed" });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("closed");
    expect(closed.body.closed_at).not.toBeNull();

    const audit = await world.reseller1.api.get(`/audit-log?resource_id=${id}&limit=50`);
    const changes = (audit.body.items as { action: string; details: { from: string; to: string } }[])
      .filter((e) => e.action === "ticket.status")
      .map((e) => `${e.details.from}->${e.details.to}`)
      .reverse();
    expect(changes).toEqual(["open->pending", "pending->open", "open->closed"]);

    const reopened = await world.customer1.api.patch(`/tickets/${id}`, { status: "open" });
    expect(reopened.body.status).toBe("open");
    expect(reopened.body.closed_at).toBeNull();
  });

  it("sends a direct customer's ticket to the provider's staff", async () => {
    const opened = await world.customer3.api.post("/tickets", { subject: "Hello provider", body: "Hi." });
    expect(opened.status).toBe(201);
    expect(opened.body.handler_account_id).not.toBe(world.reseller1.accountId);
    const [mail] = await sink.waitFor(about(opened.body.id));
    expect(mail!.to).toEqual(["admin@provider.test"]);
    expect((await world.provider.get(`/tickets/${opened.body.id}`)).status).toBe(200);
    expect((await world.reseller1.api.get(`/tickets/${opened.body.id}`)).status).toBe(404);
  });

  it("refuses tickets with the wrong field named, and keeps working while mail is down", async () => {
    const foreign = await world.customer2.api.post("/tickets", {
      subject: "x",
      body: "y",
      server_id: world.a.serverId,
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details.field).toBe("server_id");
    const blank = await world.customer2.api.post("/tickets", { subject: "   ", body: "y" });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.field).toBe("subject");
    const staffOpens = await world.reseller1.api.post("/tickets", { subject: "x", body: "y" });
    expect(staffOpens.status).toBe(403);

    smtpDown = true;
    try {
      const opened = await world.customer2.api.post("/tickets", { subject: "Mail is down", body: "y" });
      expect(opened.status).toBe(201);
      const reply = await world.reseller2.api.post(`/tickets/${opened.body.id}/messages`, { body: "ok" });
      expect(reply.status).toBe(201);
      expect(reply.body.status).toBe("pending");
    } finally {
      smtpDown = false;
    }
  });
});
