import { expect } from "vitest";
import { newId } from "@layerboom/core";
import { representativeAccount } from "@layerboom/controller";
import { peerThem, startTwoInstallations } from "./federation.js";
import type { TwoInstallations } from "./federation.js";
import { createTenant } from "./tenants.js";
import type { Tenant } from "./tenants.js";

export const H = 3_600_000;
export const WHOLESALE = { hourlyMinor: 1234, monthlyCapMinor: 600_000 };
/** 25 % on top, rounded up (docs/federation.md, "The money model"). */
export const RETAIL = { hourlyMinor: 1543, monthlyCapMinor: 750_000 };
/** November 2026 in Toronto: 1 Nov 04:00Z (EDT) to 1 Dec 05:00Z (EST), 721 hours. */
export const NOV_START = Date.parse("2026-11-01T04:00:00Z");
export const NOV_END = Date.parse("2026-12-01T05:00:00Z");
/** Server 1 runs from the month's start and is deleted at 10:30 on the 15th: 342.5 h, billed 343. */
export const STOPPED_AT = Date.parse("2026-11-15T10:30:00Z");
/** Server 2 starts at 12:15 on the 3rd and runs on: 664.75 h in November, 665 h, past the cap. */
export const CAPPED_FROM = Date.parse("2026-11-03T12:15:00Z");

/** A server B runs for A: B's id, A's, and when it existed (to: null, still running). */
export interface SettledServer {
  onB: string;
  onA: string;
  name: string;
  from: number;
  to: number | null;
}

/** Two peered installations where B runs two of A's customer's servers through November 2026. */
export interface SettlementWorld {
  t: TwoInstallations;
  /** B as recorded on A, and A as recorded on B. */
  peerOfA: string;
  peerOfB: string;
  customer: Tenant;
  /** The account that represents A at B. */
  represented: string;
  servers: SettledServer[];
}

/**
 * Starts A (PGlite) and B (PostgreSQL), peers them, has B offer its first plan at WHOLESALE and A
 * sell it 25 % higher, and gives A's customer two servers at B: web-1 from the start of November
 * to 10:30 on the 15th, web-2 from 12:15 on the 3rd on (it passes the cap). Setup, in place of the
 * remote-server creates (tested on their own): the servers are rows of B's `servers` in the account
 * that represents A (representativeAccount, B's own code), with their `federation_served_servers`
 * rows and usage intervals in November, as the billing tests move theirs; A's `remote_servers` rows
 * name them. B also metered 10 Wh an hour for web-2 from 00:00 to 06:00Z on the 10th.
 */
export async function settlementWorld(options: { webRootA?: string } = {}): Promise<SettlementWorld> {
  const servers: SettledServer[] = [
    {
      onB: newId("server"),
      onA: newId("server").replace("srv_", "rsv_"),
      name: "web-1",
      from: NOV_START,
      to: STOPPED_AT,
    },
    {
      onB: newId("server"),
      onA: newId("server").replace("srv_", "rsv_"),
      name: "web-2",
      from: CAPPED_FROM,
      to: null,
    },
  ];
  const t = await startTwoInstallations(options);
  const { peerOfA, peerOfB } = await peerThem(t);
  const siteB: string = (await t.apiB.get("/sites")).body.items[0].id;
  const planB: string = (await t.apiB.get("/plans")).body.items[0].id;
  const offer = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
    currency: "CAD",
    site_ids: [siteB],
    plans: [
      {
        plan_id: planB,
        hourly_price_minor: WHOLESALE.hourlyMinor,
        monthly_cap_minor: WHOLESALE.monthlyCapMinor,
      },
    ],
  });
  expect(offer.status, JSON.stringify(offer.body)).toBe(201);
  const offerOnA: string = (await t.apiA.get("/federation/offers")).body.items[0].id;
  const markup = await t.apiA.put(`/federation/offers/${offerOnA}/markup`, { basis_points: 2500 });
  expect(markup.status, JSON.stringify(markup.body)).toBe(200);
  const version = await t.a.database.db
    .selectFrom("federation_offer_received_versions")
    .select("id")
    .where("offer_id", "=", offerOnA)
    .executeTakeFirstOrThrow();
  const customer = await createTenant(t.a, t.apiA, "customer");

  // B: the servers it runs for A, in the account that represents A.
  const represented = (await representativeAccount(t.b.database, { id: peerOfB })).id;
  const imageB = newId("image");
  const imageA = newId("image");
  const image = (id: string, accountId: string) => ({
    id,
    account_id: accountId,
    name: "web-disk",
    visibility: "private" as const,
    status: "available" as const,
    format: "qcow2",
    size_bytes: 1 << 20,
    sha256: "0".repeat(64),
    md5: null,
    deleted_at: null,
    kernel_sha256: null,
    kernel_size_bytes: null,
    initrd_sha256: null,
    initrd_size_bytes: null,
    kernel_append: null,
  });
  await t.b.database.db.insertInto("images").values(image(imageB, represented)).execute();
  await t.a.database.db.insertInto("images").values(image(imageA, customer.accountId)).execute();
  for (const s of servers) {
    await t.b.database.db
      .insertInto("servers")
      .values({
        id: s.onB,
        account_id: represented,
        name: s.name,
        site_id: siteB,
        host_id: null,
        plan_id: planB,
        image_id: imageB,
        desired_state: s.to === null ? "running" : "deleted",
        deleted_at: s.to === null ? null : new Date(s.to),
      })
      .execute();
    await t.b.database.db
      .insertInto("usage_intervals")
      .values({
        id: newId("usageInterval"),
        server_id: s.onB,
        account_id: represented,
        plan_id: planB,
        started_at: new Date(s.from),
        ended_at: s.to === null ? null : new Date(s.to),
      })
      .execute();
    await t.b.database.db
      .insertInto("federation_served_servers")
      .values({
        server_id: s.onB,
        peer_id: peerOfB,
        idempotency_key: s.onA,
        request_digest: "setup",
        offer_version: 1,
        currency: "CAD",
        wholesale_hourly_minor: WHOLESALE.hourlyMinor,
        wholesale_monthly_cap_minor: WHOLESALE.monthlyCapMinor,
      })
      .execute();
    await t.a.database.db
      .insertInto("remote_servers")
      .values({
        id: s.onA,
        account_id: customer.accountId,
        name: s.name,
        peer_id: peerOfA,
        offer_version_id: version.id,
        remote_site_id: siteB,
        remote_plan_id: planB,
        image_id: imageA,
        currency: "CAD",
        retail_hourly_minor: RETAIL.hourlyMinor,
        retail_monthly_cap_minor: RETAIL.monthlyCapMinor,
        wholesale_hourly_minor: WHOLESALE.hourlyMinor,
        wholesale_monthly_cap_minor: WHOLESALE.monthlyCapMinor,
        desired_state: s.to === null ? "running" : "deleted",
        remote_server_id: s.onB,
        remote_state: s.to === null ? "running" : "deleted",
      })
      .execute();
  }
  for (let hour = Date.parse("2026-11-10T00:00:00Z"); hour < Date.parse("2026-11-10T06:00:00Z"); hour += H)
    await t.b.database.db
      .insertInto("server_energy")
      .values({
        server_id: servers[1]!.onB,
        bucket_start: new Date(hour),
        bucket_seconds: 3600,
        host_id: "host_setup",
        energy_uj: 36_000_000_000,
        active_energy_uj: 30_000_000_000,
        cpu_time_us: 1_800_000_000,
        estimated: false,
        last_power_mw: 10_000,
        last_sample_at: new Date(hour + H - 1000),
      })
      .execute();
  return { t, peerOfA, peerOfB, customer, represented, servers };
}
