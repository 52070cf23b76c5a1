import { newId } from "@layerboom/core";
import { expect } from "vitest";
import type { ApiClient, TestController } from "./controller.js";
import { ADMIN_PASSWORD, TEST_SSH_KEY, apiClient } from "./controller.js";
import { addIdleHost } from "./hosts.js";

export interface Tenant {
  accountId: string;
  userId: string;
  email: string;
  token: string;
  api: ApiClient;
}

export interface World {
  provider: ApiClient;
  siteId: string;
  planId: string;
  imageId: string;
  /** A host without an agent (see addIdleHost), so servers can be placed. */
  hostId: string;
  reseller1: Tenant;
  reseller2: Tenant;
  /** Customer of reseller 1: "tenant A" in the isolation tests. */
  customer1: Tenant;
  /** Customer of reseller 2. */
  customer2: Tenant;
  /** A customer directly under the provider. */
  customer3: Tenant;
  /** Resources owned by customer 1. */
  a: {
    serverId: string;
    sshKeyId: string;
    imageId: string;
    tokenId: string;
    memberUserId: string;
    /** A pending invitation into customer 1's account (inserted: this controller sends no mail). */
    invitationId: string;
    jobId: string;
    ticketId: string;
    webhookId: string;
    /** Reseller 1's invoice to customer 1 for January 2026. */
    invoiceId: string;
  };
}

let counter = 0;

async function login(c: TestController, email: string): Promise<string> {
  const res = await apiClient(c.url).post("/auth/token", { email, password: ADMIN_PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token as string;
}

/**
 * Creates an account with an admin user through the API and logs that user in. `creator`
 * creates the account; the admin user is created by the provider, the only role that creates
 * users directly (everyone else invites: test/security/invitations.test.ts). `named` gives
 * the account a chosen name and slug, and the admin a chosen address, for tests that show them.
 */
export async function createTenant(
  c: TestController,
  creator: ApiClient,
  kind: "reseller" | "customer",
  parentId?: string,
  named: { name?: string; slug?: string; email?: string } = {},
): Promise<Tenant> {
  const n = ++counter;
  const account = await creator.post("/accounts", {
    kind,
    name: named.name ?? `${kind} ${n}`,
    ...(named.slug ? { slug: named.slug } : {}),
    ...(parentId ? { parent_id: parentId } : {}),
  });
  expect(account.status, JSON.stringify(account.body)).toBe(201);
  const email = named.email ?? `${kind}${n}-${Date.now()}@example.test`;
  const role = kind === "reseller" ? "reseller-admin" : "customer-admin";
  // Only the provider creates users directly: a reseller creator's tenant gets its admin from the provider.
  const creatorIsProvider = (await creator.get("/me")).body.role === "provider-admin";
  const provider = creatorIsProvider ? creator : apiClient(c.url, c.adminToken);
  const user = await provider.post("/users", {
    email,
    role,
    password: ADMIN_PASSWORD,
    account_id: account.body.id,
  });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  const token = await login(c, email);
  return { accountId: account.body.id, userId: user.body.id, email, token, api: apiClient(c.url, token) };
}

/** A provider with two resellers, a customer under each and one direct customer, plus customer 1's resources. */
export async function buildWorld(c: TestController): Promise<World> {
  const provider = apiClient(c.url, c.adminToken);
  const sites = await provider.get("/sites");
  const plans = await provider.get("/plans");
  const siteId = sites.body.items[0].id as string;
  const planId = plans.body.items[0].id as string;
  const hostId = await addIdleHost(c, siteId);
  const image = await provider.post("/images", {
    name: `tiny-${++counter}`,
    visibility: "public",
    format: "kernel+initrd",
  });
  expect(image.status, JSON.stringify(image.body)).toBe(201);

  const reseller1 = await createTenant(c, provider, "reseller");
  const reseller2 = await createTenant(c, provider, "reseller");
  const customer1 = await createTenant(c, reseller1.api, "customer");
  const customer2 = await createTenant(c, reseller2.api, "customer");
  const customer3 = await createTenant(c, provider, "customer");

  const key = await customer1.api.post("/ssh-keys", { name: "laptop", public_key: TEST_SSH_KEY });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  const privateImage = await customer1.api.post("/images", { name: "mine", visibility: "private" });
  expect(privateImage.status, JSON.stringify(privateImage.body)).toBe(201);
  const server = await customer1.api.post("/servers", {
    name: "web1",
    site_id: siteId,
    plan_id: planId,
    image_id: image.body.id,
    ssh_key_ids: [key.body.id],
  });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  const token = await customer1.api.post("/tokens", { name: "ci" });
  expect(token.status).toBe(201);
  const member = await provider.post("/users", {
    account_id: customer1.accountId,
    email: `member-${++counter}@example.test`,
    role: "customer-member",
  });
  expect(member.status, JSON.stringify(member.body)).toBe(201);
  const invitationId = newId("invitation");
  await c.database.db
    .insertInto("invitations")
    .values({
      id: invitationId,
      account_id: customer1.accountId,
      email: `invited-${counter}@example.test`,
      role: "customer-member",
      invited_by: customer1.userId,
      secret_hash: "0".repeat(64),
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .execute();
  // An image job of customer 1 (its URL answers nothing, so it ends failed; the row is what counts).
  const job = await customer1.api.post("/images/imports", {
    url: "http://127.0.0.1:9/none.qcow2",
    name: "job-of-a",
  });
  expect(job.status, JSON.stringify(job.body)).toBe(202);

  const ticket = await customer1.api.post("/tickets", {
    subject: "web1 is slow",
    body: "Since this morning.",
    server_id: server.body.id,
  });
  expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
  // A name, not a loopback address: those are refused when registered (docs/security.md, "Outbound requests").
  const webhook = await customer1.api.post("/webhooks", {
    url: "https://crm.customer1.test/hooks",
    events: ["server.created"],
  });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);

  // January's usage of web1, then reseller 1 (customer 1's issuer) closes January.
  await c.database.db
    .insertInto("usage_intervals")
    .values({
      id: newId("usageInterval"),
      server_id: server.body.id,
      account_id: customer1.accountId,
      plan_id: planId,
      started_at: new Date("2026-01-10T00:00:00Z"),
      ended_at: new Date("2026-01-11T00:00:00Z"),
    })
    .execute();
  const closed = await reseller1.api.post("/billing/close", { period: "2026-01" });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  expect(closed.body.issued).toHaveLength(1);

  return {
    provider,
    siteId,
    planId,
    imageId: image.body.id,
    hostId,
    reseller1,
    reseller2,
    customer1,
    customer2,
    customer3,
    a: {
      serverId: server.body.id,
      sshKeyId: key.body.id,
      imageId: privateImage.body.id,
      tokenId: token.body.id,
      memberUserId: member.body.id,
      invitationId,
      jobId: job.body.id,
      ticketId: ticket.body.id,
      webhookId: webhook.body.id,
      invoiceId: closed.body.issued[0].id,
    },
  };
}
