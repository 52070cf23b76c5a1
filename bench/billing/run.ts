// bench/billing: close a month for 20,000 customers × 5 servers on PostgreSQL, then check every
// invoice total against an independent recomputation from the raw usage intervals, add-on
// intervals (backups, extra IPv4) and hourly transfer rows.
//   npm run bench:billing                                   (20,000 customers × 5 servers)
//   BENCH_CUSTOMERS=1000 BENCH_SERVERS_PER_CUSTOMER=5 npm run bench:billing
// The target is absolute (the issue: under 60 s on 2 cores), so there is no baseline ratio:
// it prints the wall time of `closeMonth`, invoices per second, where the time went (queries
// per invoice and the slowest statements), and the check. It exits 1 on any mismatch.
//
// The recomputation reads usage_intervals, addon_intervals, server_transfer, plans,
// billing_profiles, code_redemptions, discount_codes and tax_rates in bulk and runs the pure core
// functions (monthCharges, backupsMonthCharges, ipv4MonthCharges, transferMonthCharges,
// discountLines, taxLines); it shares no code with the controller's draftInvoice. Discounts take
// a share of server time only, taxes apply to every line. It also compares, per invoice and line
// kind, the number of lines and their sum, and prints how many invoices have each kind. Energy is
// left out of both sides on purpose: the issuer's energy_mode is 'informational' (checked),
// so the energy line is 0 and the totals do not depend on it.
import { loadavg } from "node:os";
import pg from "pg";
import { bootstrapProvider, closeMonth, seedDemoCatalog } from "@layerboom/controller";
import {
  backupsMonthCharges,
  billingMonth,
  discountLines,
  ipv4MonthCharges,
  monthCharges,
  newId,
  taxLines,
  transferMonthCharges,
} from "@layerboom/core";
import type {
  AddonPlanRate,
  AddressInterval,
  DiscountRedemption,
  NetworkPlanRate,
  ServerTransferTotal,
  UsageInterval,
} from "@layerboom/core";
import { migrate, openDatabase } from "@layerboom/db";
import { createScratchPostgres } from "@layerboom/testkit";

const CUSTOMERS = Number(process.env["BENCH_CUSTOMERS"] ?? 20_000);
const SERVERS_PER_CUSTOMER = Number(process.env["BENCH_SERVERS_PER_CUSTOMER"] ?? 5);
const PERIOD = "2026-01";
const ZONE = "America/Toronto";
// After January has ended in every zone the bench uses.
const NOW = new Date("2026-02-02T12:00:00Z");
const at = (iso: string) => new Date(iso);

// ---- per-statement timing of everything sent through `pg` (the controller's pool included) ----
interface Stat {
  count: number;
  ms: number;
}
const stats = new Map<string, Stat>();
let profiling = false;
const clientPrototype = pg.Client.prototype as unknown as {
  query: (this: pg.Client, ...args: unknown[]) => unknown;
};
const originalQuery = clientPrototype.query;
clientPrototype.query = function (this: pg.Client, ...args: unknown[]): unknown {
  const result = originalQuery.apply(this, args);
  if (!profiling || !(result instanceof Promise)) return result;
  const first = args[0];
  const text = typeof first === "string" ? first : ((first as { text?: string } | null)?.text ?? "?");
  const key = text.replace(/\s+/g, " ").replace(/\$\d+/g, "?").slice(0, 110);
  const started = performance.now();
  const record = () => {
    const s = stats.get(key) ?? { count: 0, ms: 0 };
    s.count++;
    s.ms += performance.now() - started;
    stats.set(key, s);
  };
  result.then(record, record);
  return result;
};

/** Interval shapes, by (customer × servers + server) mod 10. All times are UTC instants. */
function intervalsFor(
  shape: number,
  planIds: string[],
  p: number,
  jitterMin: number,
): { planId: string; start: Date; end: Date | null }[] {
  const plan = planIds[p % planIds.length]!;
  const other = planIds[(p + 1) % planIds.length]!;
  const j = jitterMin * 60_000;
  switch (shape) {
    case 0:
    case 1:
    case 2:
    case 3: // the whole month, created long before, still running
      return [{ planId: plan, start: at("2025-11-10T09:00:00Z"), end: null }];
    case 4: // created mid-month, still running
      return [{ planId: plan, start: new Date(Date.parse("2026-01-15T13:17:00Z") + j), end: null }];
    case 5: // deleted mid-month
      return [
        {
          planId: plan,
          start: at("2025-12-01T08:00:00Z"),
          end: new Date(Date.parse("2026-01-20T08:45:00Z") + j),
        },
      ];
    case 6: // created 23:30 on 31 December (Toronto), deleted at 00:45 on 1 January
      return [{ planId: plan, start: at("2026-01-01T04:30:00Z"), end: at("2026-01-01T05:45:00Z") }];
    case 7: // two intervals: a few days on one plan, then resized to another and still running
      return [
        {
          planId: plan,
          start: at("2026-01-03T10:00:00Z"),
          end: new Date(Date.parse("2026-01-05T10:20:00Z") + j),
        },
        { planId: other, start: new Date(Date.parse("2026-01-05T10:20:00Z") + j), end: null },
      ];
    case 8: // two intervals on the same plan (stopped for a rebuild and recreated), overlapping once
      return [
        {
          planId: plan,
          start: at("2026-01-07T10:10:00Z"),
          end: new Date(Date.parse("2026-01-09T03:20:00Z") + j),
        },
        { planId: plan, start: at("2026-01-09T03:00:00Z"), end: at("2026-01-12T00:00:00Z") },
      ];
    default: // created 23:30 on 31 January (Toronto), deleted after midnight: 30 min in January
      return [{ planId: plan, start: at("2026-02-01T04:30:00Z"), end: at("2026-02-01T05:15:00Z") }];
  }
}

type Span = { planId: string; start: Date; end: Date | null };

/** `span` cut to [from, to) (to null: open), or null where nothing is left. */
function clip(span: Span, from: Date | null, to: Date | null): Span | null {
  const start = from && from > span.start ? from : span.start;
  const end = span.end === null ? to : to === null || span.end < to ? span.end : to;
  return end !== null && end <= start ? null : { planId: span.planId, start, end };
}

const shift = (iso: string, jitterMs: number) => new Date(Date.parse(iso) + jitterMs);

/**
 * When the backups add-on is on, for a fifth of the servers, by variant: for the server's whole
 * life (one interval per usage interval, so a resized server has backups on both plans), turned
 * on mid-month, turned off mid-month, or off and on again. Intervals inside the server's last
 * usage interval for the last three.
 */
function backupSpans(variant: number, spans: Span[], jitterMs: number): Span[] {
  const last = spans.at(-1)!;
  const pieces =
    variant === 0
      ? spans
      : variant === 1
        ? [clip(last, shift("2026-01-12T16:40:00Z", jitterMs), null)]
        : variant === 2
          ? [clip(last, null, shift("2026-01-22T09:05:00Z", jitterMs))]
          : [
              clip(last, null, shift("2026-01-08T11:11:00Z", jitterMs)),
              clip(last, shift("2026-01-25T18:00:00Z", jitterMs), null),
            ];
  return pieces.filter((p): p is Span => p !== null);
}

/**
 * Extra IPv4 addresses, for a tenth of the servers, by variant (address index, span): one address
 * for the server's whole life; two, the second released mid-month; one allocated mid-month; two,
 * the second released on the 6th and given back on the 9th (two intervals of one address), and a
 * third released in December (in no invoice of January).
 */
function ipv4Spans(variant: number, spans: Span[], jitterMs: number): [number, Span][] {
  const last = spans.at(-1)!;
  const pieces: [number, Span | null][] =
    variant === 0
      ? spans.map((s) => [0, s])
      : variant === 1
        ? [
            ...spans.map((s): [number, Span] => [0, s]),
            [1, clip(last, null, shift("2026-01-16T07:30:00Z", jitterMs))],
          ]
        : variant === 2
          ? [[0, clip(last, shift("2026-01-20T12:00:00Z", jitterMs), null)]]
          : [
              ...spans.map((s): [number, Span] => [0, s]),
              [1, clip(last, null, shift("2026-01-06T10:00:00Z", jitterMs))],
              [1, clip(last, shift("2026-01-09T14:00:00Z", jitterMs), null)],
              [2, clip(last, null, at("2025-12-20T00:00:00Z"))],
            ];
  return pieces.filter((p): p is [number, Span] => p[1] !== null);
}

/** A 32-bit hash, for byte counts that look random and are the same on every run. */
function mix(a: number): number {
  let x = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const HOUR = 3_600_000;

/**
 * The hours a server gets `server_transfer` rows for: the first, middle and last hour of its
 * life inside the month, plus the hour before the month (23:00 on 31 December, Toronto) when it
 * existed then and the hour after it when it still existed, which no January invoice may count.
 */
function transferHours(spans: Span[], month: { startMs: number; endMs: number }): number[] {
  const lifeStart = spans[0]!.start.getTime();
  const lastEnd = spans.at(-1)!.end;
  const lifeEnd = lastEnd === null ? Infinity : lastEnd.getTime();
  const from = Math.max(lifeStart, month.startMs);
  const to = Math.min(lifeEnd, month.endMs);
  const floorHour = (ms: number) => Math.floor(ms / HOUR) * HOUR;
  const hours = new Set<number>();
  if (to > from) {
    hours.add(floorHour(from));
    hours.add(floorHour((from + to) / 2));
    hours.add(floorHour(to - 1));
  }
  if (lifeStart < month.startMs) hours.add(month.startMs - HOUR);
  if (lifeEnd > month.endMs) hours.add(month.endMs);
  return [...hours].sort((a, b) => a - b);
}

async function insertColumns(
  client: pg.Client,
  table: string,
  columns: [name: string, type: string][],
  rows: unknown[][],
): Promise<void> {
  const CHUNK = 20_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const arrays = columns.map((_, c) => chunk.map((r) => r[c]));
    await client.query(
      `INSERT INTO ${table} (${columns.map(([n]) => n).join(", ")})
       SELECT * FROM unnest(${columns.map(([, t], c) => `$${c + 1}::${t}[]`).join(", ")})`,
      arrays,
    );
  }
}

async function main(): Promise<void> {
  const scratch = await createScratchPostgres();
  const database = await openDatabase({ url: scratch.location, maxConnections: 4 });
  const client = new pg.Client({ connectionString: scratch.location });
  await client.connect();
  let failed = false;
  try {
    await migrate(database);
    const boot = await bootstrapProvider(database, {
      adminEmail: "bench@localhost",
      adminPassword: "bench password 123",
    });
    await seedDemoCatalog(database, ZONE);
    const provider = boot.providerAccountId;
    const providerPath = (
      await client.query<{ path: string }>("SELECT path FROM accounts WHERE id = $1", [provider])
    ).rows[0]!.path;
    const siteId = (await client.query<{ id: string }>("SELECT id FROM sites LIMIT 1")).rows[0]!.id;
    const planIds = (await client.query<{ id: string }>("SELECT id FROM plans ORDER BY name")).rows.map(
      (r) => r.id,
    );
    // Add-on prices, none of them 0, and a small transfer allowance on nano (20 GiB) so that
    // overage lines occur: (name, backups %, extra IPv4 a month, transfer GiB, overage per GiB).
    await client.query(
      `UPDATE plans SET backups_price_percent = v.backups, extra_ipv4_monthly_minor = v.ipv4,
              transfer_gib = v.gib, transfer_overage_minor_per_gib = v.overage
       FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[]) AS v(name, backups, ipv4, gib, overage)
       WHERE plans.name = v.name`,
      [
        ["nano", "small", "medium"],
        [25, 20, 15],
        [300, 400, 500],
        [20, 1000, 2000],
        [1, 2, 3],
      ],
    );
    const seedMonth = billingMonth(PERIOD, ZONE);
    const setupStarted = performance.now();
    const seedMs = Date.parse("2025-10-01T00:00:00Z");
    await client.query(
      `INSERT INTO images (id, account_id, name, visibility) VALUES ('img_bench', $1, 'bench', 'public')`,
      [provider],
    );
    const hostIds = Array.from(
      { length: Math.max(1, Math.ceil((CUSTOMERS * SERVERS_PER_CUSTOMER) / 50)) },
      () => newId("host", seedMs),
    );
    await insertColumns(
      client,
      "hosts",
      [
        ["id", "text"],
        ["site_id", "text"],
        ["name", "text"],
        ["state", "text"],
      ],
      hostIds.map((id, h) => [id, siteId, `bench-${h}`, "up"]),
    );

    const accounts: unknown[][] = [];
    const servers: unknown[][] = [];
    const intervals: unknown[][] = [];
    const profiles: unknown[][] = [];
    const redemptions: unknown[][] = [];
    const addons: unknown[][] = [];
    const transfers: unknown[][] = [];
    let addresses = 0;
    let serversWithBackups = 0;
    let serversWithIpv4 = 0;
    const codeId = newId("discountCode", seedMs);
    await client.query(
      `INSERT INTO discount_codes (id, issuer_account_id, code, kind, value, scope, duration_months)
       VALUES ($1, $2, 'GEO50', 'percent', 5000, 'first-server', 6)`,
      [codeId, provider],
    );
    for (let c = 0; c < CUSTOMERS; c++) {
      const accountId = newId("account", seedMs + c);
      accounts.push([
        accountId,
        "customer",
        provider,
        `${providerPath}${accountId}/`,
        `Customer ${c}`,
        `bench-${c}`,
      ]);
      // A quarter in Ontario, a quarter in Quebec, a quarter with a profile and no region, the
      // rest without a profile; one in twenty has credit (it lowers the amount due, not the total).
      if (c % 4 !== 3) {
        const region = c % 4 === 0 ? "CA-ON" : c % 4 === 1 ? "CA-QC" : null;
        profiles.push([accountId, region, c % 20 === 0 ? 300 : 0]);
      }
      let firstServer: string | undefined;
      for (let s = 0; s < SERVERS_PER_CUSTOMER; s++) {
        const n = c * SERVERS_PER_CUSTOMER + s;
        const shape = n % 10;
        const spans = intervalsFor(shape, planIds, c + s, (n * 7) % 53);
        const serverId = newId("server", spans[0]!.start.getTime());
        firstServer ??= serverId;
        const ended = spans.at(-1)!.end;
        const hostId = hostIds[Math.floor(n / 50)]!;
        const jitterMs = ((n * 11) % 97) * 60_000;
        // Backups for a fifth of the servers, extra addresses for a tenth, picked and varied by
        // hashes of the server's number, so that every interval shape gets every variant.
        const backups =
          mix(n + 1_000_003) % 5 === 0 ? backupSpans(mix(n + 3_000_017) % 4, spans, jitterMs) : [];
        if (backups.length > 0) serversWithBackups++;
        for (const b of backups)
          addons.push([
            newId("addonInterval", b.start.getTime()),
            serverId,
            accountId,
            b.planId,
            "backups",
            "",
            b.start,
            b.end,
          ]);
        if (mix(n + 2_000_003) % 10 === 0) {
          serversWithIpv4++;
          const base = addresses;
          let used = 0;
          for (const [k, a] of ipv4Spans(mix(n + 4_000_037) % 4, spans, jitterMs)) {
            const i = base + k;
            used = Math.max(used, k + 1);
            const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
            addons.push([
              newId("addonInterval", a.start.getTime()),
              serverId,
              accountId,
              a.planId,
              "ipv4",
              address,
              a.start,
              a.end,
            ]);
          }
          addresses += used;
        }
        // A few hourly transfer rows for every server, each up to 3 × 4 GiB × the share of the
        // month the server existed in (so about 18 GiB in all for a whole month, near nano's
        // allowance); one server in forty sends 250 times as much.
        const lifeEnd = ended === null ? seedMonth.endMs : Math.min(ended.getTime(), seedMonth.endMs);
        const share =
          (lifeEnd - Math.max(spans[0]!.start.getTime(), seedMonth.startMs)) /
          (seedMonth.endMs - seedMonth.startMs);
        const scale = 3 * share * (mix(n + 5_000_011) % 40 === 0 ? 250 : 1);
        for (const [k, hour] of transferHours(spans, seedMonth).entries()) {
          transfers.push([
            serverId,
            new Date(hour),
            hostId,
            Math.floor(mix(n * 8 + k) * scale) + (n % 1000),
            Math.floor(mix(n * 8 + k + 4) * share),
          ]);
        }
        servers.push([
          serverId,
          accountId,
          `s${s}`,
          siteId,
          hostId,
          spans.at(-1)!.planId,
          "img_bench",
          ended ? "deleted" : "running",
          spans[0]!.start,
          ended,
          backups.some((b) => b.end === null),
        ]);
        for (const span of spans) {
          intervals.push([
            newId("usageInterval", span.start.getTime()),
            serverId,
            accountId,
            span.planId,
            span.start,
            span.end,
          ]);
        }
      }
      // GEO50 (50% off the first server for 6 months) for a third of the customers; one in nine
      // redeemed it in June 2025, so it has run out by January.
      if (c % 3 === 0 && firstServer) {
        redemptions.push([
          newId("redemption", seedMs + c),
          codeId,
          accountId,
          c % 9 === 0 ? at("2025-06-15T15:00:00Z") : at("2025-11-05T15:00:00Z"),
          firstServer,
        ]);
      }
    }
    await insertColumns(
      client,
      "accounts",
      [
        ["id", "text"],
        ["kind", "text"],
        ["parent_id", "text"],
        ["path", "text"],
        ["name", "text"],
        ["slug", "text"],
      ],
      accounts,
    );
    await insertColumns(
      client,
      "servers",
      [
        ["id", "text"],
        ["account_id", "text"],
        ["name", "text"],
        ["site_id", "text"],
        ["host_id", "text"],
        ["plan_id", "text"],
        ["image_id", "text"],
        ["desired_state", "text"],
        ["created_at", "timestamptz"],
        ["deleted_at", "timestamptz"],
        ["backups_enabled", "bool"],
      ],
      servers,
    );
    await insertColumns(
      client,
      "usage_intervals",
      [
        ["id", "text"],
        ["server_id", "text"],
        ["account_id", "text"],
        ["plan_id", "text"],
        ["started_at", "timestamptz"],
        ["ended_at", "timestamptz"],
      ],
      intervals,
    );
    await insertColumns(
      client,
      "addon_intervals",
      [
        ["id", "text"],
        ["server_id", "text"],
        ["account_id", "text"],
        ["plan_id", "text"],
        ["kind", "text"],
        ["ref", "text"],
        ["started_at", "timestamptz"],
        ["ended_at", "timestamptz"],
      ],
      addons,
    );
    await insertColumns(
      client,
      "server_transfer",
      [
        ["server_id", "text"],
        ["hour_start", "timestamptz"],
        ["host_id", "text"],
        ["out_bytes", "int8"],
        ["in_bytes", "int8"],
      ],
      transfers,
    );
    await insertColumns(
      client,
      "billing_profiles",
      [
        ["account_id", "text"],
        ["tax_region", "text"],
        ["credit_minor", "int8"],
      ],
      profiles,
    );
    await insertColumns(
      client,
      "code_redemptions",
      [
        ["id", "text"],
        ["code_id", "text"],
        ["account_id", "text"],
        ["redeemed_at", "timestamptz"],
        ["first_server_id", "text"],
      ],
      redemptions,
    );
    await client.query("UPDATE discount_codes SET redemptions = $1 WHERE id = $2", [
      redemptions.length,
      codeId,
    ]);
    await client.query("ANALYZE");
    console.log(
      `seeded ${CUSTOMERS} customers, ${servers.length} servers, ${intervals.length} usage intervals, ` +
        `${addons.filter((a) => a[4] === "backups").length} backups intervals on ${serversWithBackups} servers, ` +
        `${addons.filter((a) => a[4] === "ipv4").length} ipv4 intervals on ${serversWithIpv4} servers, ` +
        `${transfers.length} transfer hours, ${profiles.length} billing profiles, ${redemptions.length} GEO50 redemptions in ` +
        `${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    // ---- the measured part ----
    const loadBefore = loadavg()[0]!;
    profiling = true;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await closeMonth(database, provider, PERIOD, NOW, { system: "bench" });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    profiling = false;
    const loadAfter = loadavg()[0]!;

    // ---- EXPLAIN of the per-customer statements, on one customer, rolled back ----
    const sample = (
      await client.query<{ account_id: string; id: string }>(
        "SELECT account_id, id FROM invoices ORDER BY account_id OFFSET $1 LIMIT 1",
        [Math.floor(CUSTOMERS / 2)],
      )
    ).rows[0]!;
    const explains: [string, string, unknown[]][] = [
      [
        "invoice_lines insert (7 rows)",
        `INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, amount_minor, details)
         SELECT $1, 100 + g, 'usage', 'bench explain line', '744 h', 1200, '{"used_seconds": 1}'::jsonb
         FROM generate_series(0, 6) AS g`,
        [sample.id],
      ],
      [
        "redemptions of one customer",
        `SELECT d.*, r.redeemed_at, r.first_server_id FROM code_redemptions r
         JOIN discount_codes d ON d.id = r.code_id WHERE r.account_id = $1`,
        [sample.account_id],
      ],
      [
        "energy of one customer",
        `SELECT s.site_id, e.bucket_start FROM server_energy e JOIN servers s ON s.id = e.server_id
         WHERE s.account_id = $1 AND e.bucket_start >= $2 AND e.bucket_start < $3`,
        [sample.account_id, at("2026-01-01T05:00:00Z"), at("2026-02-01T05:00:00Z")],
      ],
      [
        "transfer of one batch (500 customers)",
        `SELECT s.account_id, s.id, s.plan_id, sum(t.out_bytes)::text, sum(t.in_bytes)::text
         FROM server_transfer t JOIN servers s ON s.id = t.server_id
         WHERE s.account_id IN (SELECT id FROM accounts WHERE kind = 'customer' ORDER BY id LIMIT 500)
           AND t.hour_start >= $1 AND t.hour_start < $2
         GROUP BY s.account_id, s.id, s.plan_id`,
        [at("2026-01-01T05:00:00Z"), at("2026-02-01T05:00:00Z")],
      ],
    ];
    const explained: string[] = [];
    await client.query("BEGIN");
    try {
      for (const [label, text, values] of explains) {
        const plan = (
          await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, WAL) ${text}`, values)
        ).rows.map((r) => r["QUERY PLAN"]);
        explained.push(
          `    ${label}: ${plan[0]!.trim()}`,
          ...plan
            .slice(1)
            .filter((l) => /Scan|Join|Trigger|Execution Time|WAL:/.test(l))
            .map((l) => `      ${l.trim()}`),
        );
      }
    } finally {
      await client.query("ROLLBACK");
    }

    // ---- independent recomputation ----
    const checkStarted = performance.now();
    const energyMode = (
      await client.query<{ energy_mode: string }>(
        "SELECT energy_mode FROM billing_settings WHERE account_id = $1",
        [provider],
      )
    ).rows[0]?.energy_mode;
    if (energyMode !== undefined && energyMode !== "informational")
      throw new Error(`the bench expects energy_mode informational, got ${energyMode}`);
    const rates = new Map<string, AddonPlanRate & NetworkPlanRate>(
      (
        await client.query<{
          id: string;
          hourly_price_minor: string;
          monthly_cap_minor: string;
          hour_rounding: "up" | "none";
          backups_price_percent: number;
          extra_ipv4_monthly_minor: number;
          transfer_gib: number;
          transfer_overage_minor_per_gib: number;
        }>(
          `SELECT id, hourly_price_minor, monthly_cap_minor, hour_rounding, backups_price_percent,
                  extra_ipv4_monthly_minor, transfer_gib, transfer_overage_minor_per_gib
           FROM plans`,
        )
      ).rows.map((p) => [
        p.id,
        {
          hourlyMinor: Number(p.hourly_price_minor),
          monthlyCapMinor: Number(p.monthly_cap_minor),
          hourRounding: p.hour_rounding,
          backupsPercent: p.backups_price_percent,
          extraIpv4MonthlyMinor: p.extra_ipv4_monthly_minor,
          transferGib: p.transfer_gib,
          transferOverageMinorPerGib: p.transfer_overage_minor_per_gib,
        },
      ]),
    );
    const taxByRegion = new Map<string, { region: string; name: string; rateMicros: number }[]>();
    for (const r of (
      await client.query<{ region: string; name: string; rate_micros: number }>(
        "SELECT region, name, rate_micros FROM tax_rates ORDER BY region, name",
      )
    ).rows) {
      const list = taxByRegion.get(r.region) ?? [];
      list.push({ region: r.region, name: r.name, rateMicros: r.rate_micros });
      taxByRegion.set(r.region, list);
    }
    const profileOf = new Map(
      (
        await client.query<{ account_id: string; time_zone: string; tax_region: string | null }>(
          "SELECT account_id, time_zone, tax_region FROM billing_profiles",
        )
      ).rows.map((p) => [p.account_id, p]),
    );
    const intervalsOf = new Map<string, UsageInterval[]>();
    for (const i of (
      await client.query<{
        account_id: string;
        server_id: string;
        plan_id: string;
        s: string;
        e: string | null;
      }>(
        `SELECT account_id, server_id, plan_id, (extract(epoch FROM started_at) * 1000)::bigint::text AS s,
                (extract(epoch FROM ended_at) * 1000)::bigint::text AS e
         FROM usage_intervals`,
      )
    ).rows) {
      const list = intervalsOf.get(i.account_id) ?? [];
      list.push({
        serverId: i.server_id,
        planId: i.plan_id,
        startMs: Number(i.s),
        endMs: i.e === null ? null : Number(i.e),
      });
      intervalsOf.set(i.account_id, list);
    }
    const backupsOf = new Map<string, UsageInterval[]>();
    const ipv4Of = new Map<string, AddressInterval[]>();
    for (const a of (
      await client.query<{
        account_id: string;
        server_id: string;
        plan_id: string;
        kind: string;
        ref: string;
        s: string;
        e: string | null;
      }>(
        `SELECT account_id, server_id, plan_id, kind, ref,
                (extract(epoch FROM started_at) * 1000)::bigint::text AS s,
                (extract(epoch FROM ended_at) * 1000)::bigint::text AS e
         FROM addon_intervals`,
      )
    ).rows) {
      const interval = {
        serverId: a.server_id,
        planId: a.plan_id,
        startMs: Number(a.s),
        endMs: a.e === null ? null : Number(a.e),
      };
      if (a.kind === "backups") {
        const list = backupsOf.get(a.account_id) ?? [];
        list.push(interval);
        backupsOf.set(a.account_id, list);
      } else if (a.kind === "ipv4") {
        const list = ipv4Of.get(a.account_id) ?? [];
        list.push({ ...interval, address: a.ref });
        ipv4Of.set(a.account_id, list);
      } else throw new Error(`the bench does not know add-on kind ${a.kind}`);
    }
    // Raw hourly rows with their server's account and plan; each customer's month is picked below.
    const transferOf = new Map<string, { hourMs: number; total: ServerTransferTotal }[]>();
    for (const t of (
      await client.query<{
        account_id: string;
        server_id: string;
        plan_id: string;
        h: string;
        out_bytes: string;
        in_bytes: string;
      }>(
        `SELECT s.account_id, t.server_id, s.plan_id, (extract(epoch FROM t.hour_start) * 1000)::bigint::text AS h,
                t.out_bytes::text AS out_bytes, t.in_bytes::text AS in_bytes
         FROM server_transfer t JOIN servers s ON s.id = t.server_id`,
      )
    ).rows) {
      const list = transferOf.get(t.account_id) ?? [];
      list.push({
        hourMs: Number(t.h),
        total: {
          serverId: t.server_id,
          planId: t.plan_id,
          outBytes: BigInt(t.out_bytes),
          inBytes: BigInt(t.in_bytes),
        },
      });
      transferOf.set(t.account_id, list);
    }
    const redemptionsOf = new Map<string, DiscountRedemption[]>();
    for (const r of (
      await client.query<{
        account_id: string;
        code: string;
        kind: "percent" | "amount";
        value: string;
        scope: "first-server" | "all-servers" | "plans";
        plan_ids: string[];
        duration_months: number;
        redeemed_at: Date;
        first_server_id: string | null;
      }>(
        `SELECT r.account_id, d.code, d.kind, d.value, d.scope, d.plan_ids, d.duration_months, r.redeemed_at,
                r.first_server_id
         FROM code_redemptions r JOIN discount_codes d ON d.id = r.code_id`,
      )
    ).rows) {
      const list = redemptionsOf.get(r.account_id) ?? [];
      list.push({
        code: r.code,
        terms: {
          kind: r.kind,
          value: Number(r.value),
          scope: r.scope,
          planIds: r.plan_ids,
          durationMonths: r.duration_months,
        },
        redeemedAtMs: r.redeemed_at.getTime(),
        firstServerId: r.first_server_id,
      });
      redemptionsOf.set(r.account_id, list);
    }
    const customers = (
      await client.query<{ id: string }>(
        "SELECT id FROM accounts WHERE parent_id = $1 AND kind = 'customer' ORDER BY id",
        [provider],
      )
    ).rows.map((r) => r.id);
    const invoiceOf = new Map(
      (
        await client.query<{ account_id: string; total_minor: string; number: string }>(
          "SELECT account_id, total_minor, number FROM invoices WHERE period = $1 AND kind = 'invoice'",
          [PERIOD],
        )
      ).rows.map((r) => [r.account_id, r]),
    );
    // What the invoices hold, per invoice and line kind: how many lines, and their sum.
    const linesOf = new Map<string, Map<string, { count: number; sum: number }>>();
    for (const l of (
      await client.query<{ account_id: string; kind: string; n: number; amount: string }>(
        `SELECT i.account_id, l.kind, count(*)::int AS n, sum(l.amount_minor)::text AS amount
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
         WHERE i.period = $1 AND i.kind = 'invoice'
         GROUP BY i.account_id, l.kind`,
        [PERIOD],
      )
    ).rows) {
      const kinds = linesOf.get(l.account_id) ?? new Map<string, { count: number; sum: number }>();
      kinds.set(l.kind, { count: l.n, sum: Number(l.amount) });
      linesOf.set(l.account_id, kinds);
    }
    const CHECKED_KINDS = ["usage", "backups", "ipv4", "transfer", "discount", "tax"] as const;
    const invoicesWith = new Map<string, { expected: number; actual: number; lines: number }>();
    const countKind = (kind: string, field: "expected" | "actual", lines = 0) => {
      const c = invoicesWith.get(kind) ?? { expected: 0, actual: 0, lines: 0 };
      c[field]++;
      c.lines += lines;
      invoicesWith.set(kind, c);
    };
    for (const kinds of linesOf.values())
      for (const [kind, l] of kinds) if (l.count > 0) countKind(kind, "actual", l.count);
    const mismatches: string[] = [];
    let expectedInvoices = 0;
    let expectedTotal = 0;
    for (const accountId of customers) {
      const profile = profileOf.get(accountId);
      const zone = profile?.time_zone ?? ZONE;
      const month = billingMonth(PERIOD, zone);
      const usage = intervalsOf.get(accountId) ?? [];
      const charges = monthCharges(usage, rates, month);
      const backups = backupsMonthCharges(backupsOf.get(accountId) ?? [], rates, month);
      const ipv4 = ipv4MonthCharges(ipv4Of.get(accountId) ?? [], rates, month);
      // The hours that start inside the customer's month; a line only for servers over allowance.
      const transfer = transferMonthCharges(
        (transferOf.get(accountId) ?? [])
          .filter((t) => t.hourMs >= month.startMs && t.hourMs < month.endMs)
          .map((t) => t.total),
        usage,
        rates,
        month,
      ).filter((t) => t.overageBytes > 0);
      // Codes take a share of server time only; add-ons are paid in full; every line is taxed.
      const discounts = (redemptionsOf.get(accountId) ?? []).flatMap((r) =>
        discountLines(r, charges, PERIOD, zone),
      );
      const expectedLines = new Map<string, { count: number; sum: number }>();
      for (const [kind, amounts] of [
        ["usage", charges.map((c) => c.amountMinor)],
        ["backups", backups.map((c) => c.amountMinor)],
        ["ipv4", ipv4.map((c) => c.amountMinor)],
        ["transfer", transfer.map((c) => c.amountMinor)],
        ["discount", discounts.map((d) => d.amountMinor)],
      ] as const)
        expectedLines.set(kind, { count: amounts.length, sum: amounts.reduce((a, b) => a + b, 0) });
      const subtotal = [...expectedLines.values()].reduce((a, l) => a + l.sum, 0);
      const taxes = taxLines(
        subtotal,
        profile?.tax_region ? (taxByRegion.get(profile.tax_region) ?? []) : [],
      );
      expectedLines.set("tax", {
        count: taxes.length,
        sum: taxes.reduce((a, t) => a + t.amountMinor, 0),
      });
      const total = subtotal + expectedLines.get("tax")!.sum;
      const invoice = invoiceOf.get(accountId);
      if (charges.length === 0 && backups.length === 0 && ipv4.length === 0 && transfer.length === 0) {
        if (invoice)
          mismatches.push(`${accountId}: nothing to bill, yet invoice ${invoice.number} was issued`);
        continue;
      }
      expectedInvoices++;
      expectedTotal += total;
      for (const [kind, l] of expectedLines) if (l.count > 0) countKind(kind, "expected");
      if (!invoice) {
        mismatches.push(`${accountId}: expected an invoice of ${total}, none was issued`);
        continue;
      }
      const actualLines = linesOf.get(accountId);
      const differing = CHECKED_KINDS.flatMap((kind) => {
        const want = expectedLines.get(kind)!;
        const got = actualLines?.get(kind) ?? { count: 0, sum: 0 };
        return want.count === got.count && want.sum === got.sum
          ? []
          : [`${kind} ${got.count} lines/${got.sum}, recomputed ${want.count}/${want.sum}`];
      });
      if (Number(invoice.total_minor) !== total || differing.length > 0)
        mismatches.push(
          `${accountId}: invoice ${invoice.number} totals ${invoice.total_minor}, recomputed ${total}` +
            (differing.length > 0 ? ` (${differing.join("; ")})` : ""),
        );
    }
    const numbers = [...invoiceOf.values()]
      .map((i) => {
        const m = /^INV-(\d+)$/.exec(i.number);
        return m ? Number(m[1]) : NaN;
      })
      .sort((a, b) => a - b);
    const gapless = numbers.length === expectedInvoices && numbers.every((n, i) => n === i + 1);
    const checkMs = performance.now() - checkStarted;

    // ---- report ----
    const issued = result.issued.length;
    const queries = [...stats.values()].reduce((a, s) => a + s.count, 0);
    const queryMs = [...stats.values()].reduce((a, s) => a + s.ms, 0);
    console.log(
      `\nbilling close on PostgreSQL, ${CUSTOMERS} customers × ${SERVERS_PER_CUSTOMER} servers, period ${PERIOD}`,
    );
    console.log(
      `  closeMonth: ${(wallMs / 1000).toFixed(1)} s wall, ${issued} invoices issued, ${result.skipped} skipped, ` +
        `${Math.round(issued / (wallMs / 1000))} invoices/s, ${(wallMs / Math.max(1, issued)).toFixed(2)} ms per invoice`,
    );
    console.log(
      `  target: under 60 s for 100,000 servers / 20,000 customers: ${wallMs < 60_000 ? "met" : "MISSED"}`,
    );
    console.log(
      `  node CPU during the close: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of ${(wallMs / 1000).toFixed(1)} s; ` +
        `1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (2 cores: above ~2 means other work shared them)`,
    );
    console.log(
      `  queries: ${queries} (${(queries / Math.max(1, issued)).toFixed(1)} per invoice), ` +
        `${(queryMs / 1000).toFixed(1)} s awaiting them (${((100 * queryMs) / wallMs).toFixed(0)}% of wall)`,
    );
    console.log("  slowest statements (total ms, count, mean ms):");
    for (const [text, s] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
      console.log(
        `    ${s.ms.toFixed(0).padStart(7)} ms ${String(s.count).padStart(7)}× ${(s.ms / s.count).toFixed(3)}  ${text}`,
      );
    }
    console.log("  EXPLAIN (ANALYZE, BUFFERS, WAL) on one customer, rolled back:");
    for (const line of explained) console.log(line);
    console.log(
      `  check: ${customers.length - mismatches.length}/${customers.length} customers agree with the recomputation ` +
        `(${expectedInvoices} invoices, ${expectedTotal} minor units in all); invoice numbers ` +
        `${gapless ? `1..${numbers.length} without gaps` : "NOT gapless"} (check took ${(checkMs / 1000).toFixed(1)} s)`,
    );
    console.log("  invoices with each line kind (issued, recomputed; lines issued):");
    for (const kind of ["usage", "backups", "ipv4", "transfer", "discount", "energy", "tax", "credit"]) {
      const c = invoicesWith.get(kind) ?? { expected: 0, actual: 0, lines: 0 };
      const recomputed = (CHECKED_KINDS as readonly string[]).includes(kind) ? String(c.expected) : "-";
      console.log(
        `    ${kind.padEnd(9)} ${String(c.actual).padStart(7)} ${recomputed.padStart(7)}  ${String(c.lines).padStart(7)} lines`,
      );
    }
    for (const m of mismatches.slice(0, 10)) console.log(`    mismatch: ${m}`);
    if (mismatches.length > 10) console.log(`    … and ${mismatches.length - 10} more`);
    if (issued !== expectedInvoices)
      console.log(`    issued ${issued} invoices, expected ${expectedInvoices}`);
    failed = mismatches.length > 0 || !gapless || issued !== expectedInvoices;
    console.log(`  result: ${failed ? "FAIL" : "PASS"}`);
  } finally {
    await client.end();
    await database.close();
    await scratch.drop();
  }
  if (failed) process.exitCode = 1;
}

await main();
