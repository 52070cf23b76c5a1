import { ForbiddenError, requireAdmin } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import { sql } from "kysely";
import { sitesEnergyNow } from "../energy/energy-now.js";
import type { ServiceContext } from "../base/context.js";

/** A latest sample older than this is not "now" (the same rule as the energy reports). */
export const DASHBOARD_POWER_FRESH_MS = 10 * 60_000;

/** Capacity of a host or a whole site: what the hosts offer and what servers reserve on them. */
export interface Capacity {
  cpu_cores: number;
  memory_mib: number;
  disk_gib: number;
  used_vcpus: number;
  used_memory_mib: number;
  used_disk_gib: number;
}

export interface DashboardHost extends Capacity {
  id: string;
  name: string;
  site_id: string;
  state: "pending" | "up" | "down";
  accelerator: "kvm" | "tcg" | null;
  server_count: number;
  /** Facility power (PUE included) of the latest sample, or null when none came in the last 10 minutes. */
  power_w: number | null;
  power_estimated: boolean;
  last_sample_at: Date | null;
  last_heartbeat_at: Date | null;
}

export interface DashboardSite {
  id: string;
  name: string;
  country_code: string;
  region_code: string;
  time_zone: string;
  hosts: { total: number; up: number; down: number };
  capacity: Capacity;
  server_count: number;
  /** Sum of the fresh power of the site's hosts; null when no host reported in the last 10 minutes. */
  power_w: number | null;
  power_estimated: boolean;
  hosts_reporting: number;
  /** The site's tariff in force now, per MWh in minor units; null without a tariff or price data for now. */
  price_per_mwh_minor: number | null;
  price_currency: string | null;
  /** The site's grid carbon intensity now; null without carbon settings or data for now. */
  carbon_g_per_kwh: number | null;
}

export interface DashboardHostDown {
  id: string;
  name: string;
  site_id: string;
  state: "pending" | "down";
  reason: string;
  last_heartbeat_at: Date | null;
}

export interface DashboardSummary {
  generated_at: Date;
  scope: "provider" | "reseller";
  sites: DashboardSite[];
  hosts: DashboardHost[];
  hosts_down: DashboardHostDown[];
  revenue_this_month: {
    since: Date;
    by_currency: {
      currency: string;
      invoices: number;
      /** Invoice totals (tax included) issued since `since`, less credit notes issued since then. */
      invoiced_minor: number;
      credited_minor: number;
      /** Of those invoices, what is settled already. */
      paid_minor: number;
    }[];
  };
  open_tickets: number;
  pending_tickets: number;
  servers: { total: number; by_state: { state: string; count: number }[] };
  customers: number;
}

interface HostRowOut {
  id: string;
  name: string;
  site_id: string;
  state: "pending" | "up" | "down";
  accelerator: "kvm" | "tcg" | null;
  cpu_cores: number;
  memory_mib: number;
  disk_gib: number;
  last_heartbeat_at: Date | null;
  connected_at: Date | null;
  used_vcpus: string | number | null;
  used_memory_mib: string | number | null;
  used_disk_gib: string | number | null;
  server_count: string | number | null;
  last_power_mw: string | number | null;
  last_sample_at: Date | string | null;
  estimated: boolean | null;
}

const num = (v: string | number | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/** The first instant of the UTC calendar month of `now`. */
function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * The provider's (or a reseller's) dashboard in one call: capacity, power now, hosts down,
 * this month's invoicing, open tickets, servers by state and customers (docs/dashboard.md).
 * Hosts and sites are the provider's business: a reseller gets them empty.
 */
export async function dashboardSummary(ctx: ServiceContext, now = new Date()): Promise<DashboardSummary> {
  requireAdmin(ctx.principal, "read the dashboard");
  if (ctx.principal.accountKind === "customer")
    throw new ForbiddenError("The dashboard is for the provider and resellers.");
  const isProvider = ctx.principal.accountKind === "provider";
  const { db } = ctx.database;
  const me = ctx.principal.accountId;
  const path = ctx.principal.accountPath;
  const since = monthStart(now);
  const freshAfter = new Date(now.getTime() - DASHBOARD_POWER_FRESH_MS);

  const [serverStates, customers, tickets, invoices, infra] = await Promise.all([
    // Servers of the subtree by state, and by site (the provider's site tiles use it).
    db
      .selectFrom("servers")
      .innerJoin("accounts", "accounts.id", "servers.account_id")
      .select(["servers.observed_state as state", "servers.site_id"])
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("servers.deleted_at", "is", null)
      .where(accountInSubtree(path))
      .groupBy(["servers.observed_state", "servers.site_id"])
      .execute(),
    db
      .selectFrom("accounts")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("accounts.kind", "=", "customer")
      .where(accountInSubtree(path))
      .executeTakeFirstOrThrow(),
    // Tickets this account's staff answer (what GET /tickets shows them): open waits on staff.
    db
      .selectFrom("tickets")
      .select("status")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("handler_account_id", "=", me)
      .where("status", "in", ["open", "pending"])
      .groupBy("status")
      .execute(),
    // What this account invoiced this month: its own invoices and credit notes, by currency.
    db
      .selectFrom("invoices")
      .select(["currency", "kind"])
      .select((eb) => [
        eb.fn.countAll<string>().as("count"),
        sql<string>`coalesce(sum(total_minor), 0)`.as("total"),
        sql<string>`coalesce(sum(total_minor - amount_due_minor), 0)`.as("paid"),
      ])
      .where("issuer_account_id", "=", me)
      .where("issued_at", ">=", since)
      .where("issued_at", "<=", now)
      .groupBy(["currency", "kind"])
      .execute(),
    isProvider ? infrastructure(ctx, now) : undefined,
  ]);

  const byState = new Map<string, number>();
  const serversBySite = new Map<string, number>();
  for (const r of serverStates) {
    byState.set(r.state, (byState.get(r.state) ?? 0) + num(r.count));
    serversBySite.set(r.site_id, (serversBySite.get(r.site_id) ?? 0) + num(r.count));
  }

  const revenue = new Map<string, DashboardSummary["revenue_this_month"]["by_currency"][number]>();
  for (const r of invoices) {
    const row = revenue.get(r.currency) ?? {
      currency: r.currency,
      invoices: 0,
      invoiced_minor: 0,
      credited_minor: 0,
      paid_minor: 0,
    };
    if (r.kind === "invoice") {
      row.invoices += num(r.count);
      row.invoiced_minor += num(r.total);
      row.paid_minor += num(r.paid);
    } else {
      // Credit notes carry negative totals.
      row.credited_minor += -num(r.total);
      row.invoiced_minor += num(r.total);
    }
    revenue.set(r.currency, row);
  }

  let sites: DashboardSite[] = [];
  let hosts: DashboardHost[] = [];
  let hostsDown: DashboardHostDown[] = [];
  if (infra) {
    hosts = infra.hosts.map((h) => {
      const sampleAt = asDate(h.last_sample_at);
      const fresh = sampleAt !== null && sampleAt > freshAfter && h.last_power_mw !== null;
      return {
        id: h.id,
        name: h.name,
        site_id: h.site_id,
        state: h.state,
        accelerator: h.accelerator,
        cpu_cores: h.cpu_cores,
        memory_mib: h.memory_mib,
        disk_gib: h.disk_gib,
        used_vcpus: num(h.used_vcpus),
        used_memory_mib: num(h.used_memory_mib),
        used_disk_gib: num(h.used_disk_gib),
        server_count: num(h.server_count),
        power_w: fresh ? num(h.last_power_mw) / 1000 : null,
        power_estimated: fresh && h.estimated === true,
        last_sample_at: sampleAt,
        last_heartbeat_at: h.last_heartbeat_at,
      };
    });
    hostsDown = infra.hosts
      .filter((h): h is HostRowOut & { state: "pending" | "down" } => h.state !== "up")
      .map((h) => ({
        id: h.id,
        name: h.name,
        site_id: h.site_id,
        state: h.state,
        reason:
          h.state === "pending"
            ? "never connected: run the join command on the host"
            : h.connected_at === null
              ? "never connected"
              : "its agent stopped sending heartbeats",
        last_heartbeat_at: h.last_heartbeat_at,
      }));
    sites = infra.sites.map((s) => {
      const own = hosts.filter((h) => h.site_id === s.id);
      const reporting = own.filter((h) => h.power_w !== null);
      const sum = (key: keyof Capacity) => own.reduce((a, h) => a + h[key], 0);
      const energy = infra.energyNow.get(s.id);
      return {
        id: s.id,
        name: s.name,
        country_code: s.country_code,
        region_code: s.region_code,
        time_zone: s.time_zone,
        hosts: {
          total: own.length,
          up: own.filter((h) => h.state === "up").length,
          down: own.filter((h) => h.state !== "up").length,
        },
        capacity: {
          cpu_cores: sum("cpu_cores"),
          memory_mib: sum("memory_mib"),
          disk_gib: sum("disk_gib"),
          used_vcpus: sum("used_vcpus"),
          used_memory_mib: sum("used_memory_mib"),
          used_disk_gib: sum("used_disk_gib"),
        },
        server_count: serversBySite.get(s.id) ?? 0,
        power_w:
          reporting.length === 0
            ? null
            : Math.round(reporting.reduce((a, h) => a + h.power_w!, 0) * 1000) / 1000,
        power_estimated: reporting.some((h) => h.power_estimated),
        hosts_reporting: reporting.length,
        price_per_mwh_minor: energy?.price_now_per_mwh_minor ?? null,
        price_currency: energy && energy.price_now_per_mwh_minor !== null ? energy.currency : null,
        carbon_g_per_kwh: energy?.carbon_g_per_kwh_now ?? null,
      };
    });
  }

  const ticketCount = (status: string) => num(tickets.find((t) => t.status === status)?.count);
  return {
    generated_at: now,
    scope: isProvider ? "provider" : "reseller",
    sites,
    hosts,
    hosts_down: hostsDown,
    revenue_this_month: {
      since,
      by_currency: [...revenue.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    },
    open_tickets: ticketCount("open"),
    pending_tickets: ticketCount("pending"),
    servers: {
      total: [...byState.values()].reduce((a, n) => a + n, 0),
      by_state: [...byState]
        .map(([state, count]) => ({ state, count }))
        .sort((a, b) => a.state.localeCompare(b.state)),
    },
    customers: num(customers.count),
  };
}

/**
 * The provider's machines: every host with its reserved capacity and its latest energy bucket
 * (one statement), the sites, and what electricity costs and emits at each site now
 * (sitesEnergyNow: a few more statements for all sites together).
 */
async function infrastructure(ctx: ServiceContext, now: Date) {
  const { db } = ctx.database;
  const [hostRows, sites, energy] = await Promise.all([
    sql<HostRowOut>`
      SELECT h.id, h.name, h.site_id, h.state, h.accelerator, h.cpu_cores, h.memory_mib, h.disk_gib,
             h.last_heartbeat_at, h.connected_at,
             u.vcpus AS used_vcpus, u.memory_mib AS used_memory_mib, u.disk_gib AS used_disk_gib,
             u.servers AS server_count,
             e.last_power_mw, e.last_sample_at, e.estimated
      FROM hosts h
      LEFT JOIN (
        SELECT s.host_id, sum(p.vcpus) AS vcpus, sum(p.memory_mib) AS memory_mib,
               sum(p.disk_gib) AS disk_gib, count(*) AS servers
        FROM servers s JOIN plans p ON p.id = s.plan_id
        WHERE s.deleted_at IS NULL AND s.host_id IS NOT NULL
        GROUP BY s.host_id
      ) u ON u.host_id = h.id
      LEFT JOIN LATERAL (
        SELECT he.last_power_mw, he.last_sample_at, he.estimated
        FROM host_energy he
        WHERE he.host_id = h.id
        ORDER BY he.bucket_start DESC
        LIMIT 1
      ) e ON true
      WHERE h.state <> 'removed'
      ORDER BY h.site_id, h.name, h.id`.execute(db),
    db
      .selectFrom("sites")
      .select(["id", "name", "country_code", "region_code", "time_zone"])
      .orderBy("name")
      .orderBy("id")
      .execute(),
    sitesEnergyNow(db, now, { averages: false }),
  ]);
  return { hosts: hostRows.rows, sites, energyNow: new Map(energy.map((e) => [e.site_id, e])) };
}
