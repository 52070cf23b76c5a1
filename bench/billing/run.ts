// bench/billing: close a month for 20,000 customers × 5 servers on PostgreSQL, then check every
// invoice total against an independent recomputation from the raw usage intervals.
//   npm run bench:billing                                   (20,000 customers × 5 servers)
//   BENCH_CUSTOMERS=1000 BENCH_SERVERS_PER_CUSTOMER=5 npm run bench:billing
// The target is absolute (the issue: under 60 s on 2 cores), so there is no baseline ratio:
// it prints the wall time of `closeMonth`, invoices per second, where the time went (queries
// per invoice and the slowest statements), and the check. It exits 1 on any mismatch.
//
// The recomputation reads usage_intervals, plans, billing_profiles, code_redemptions,
// discount_codes and tax_rates in bulk and runs the pure core functions (monthCharges,
// discountLines, taxLines); it shares no code with the controller's draftInvoice. Energy is
// left out of both sides on purpose: the issuer's energy_mode is 'informational' (checked),
// so the energy line is 0 and the totals do not depend on it.
import { loadavg } from "node:os";
import pg from "pg";
import { bootstrapProvider, closeMonth, seedDemoCatalog } from "@layerboom/controller";
import { billingMonth, discountLines, monthCharges, newId, taxLines } from "@layerboom/core";
import type { DiscountRedemption, PlanRate, UsageInterval } from "@layerboom/core";
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
        servers.push([
          serverId,
          accountId,
          `s${s}`,
          siteId,
          hostIds[Math.floor(n / 50)]!,
          spans.at(-1)!.planId,
          "img_bench",
          ended ? "deleted" : "running",
          spans[0]!.start,
          ended,
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
        `${profiles.length} billing profiles, ${redemptions.length} GEO50 redemptions in ` +
        `${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    // ---- the measured part ----
    const loadBefore = loadavg()[0]!;
    profiling = true;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await closeMonth(database, provider, PERIOD, NOW);
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
            .filter((l) => /Scan|Trigger|Execution Time|WAL:/.test(l))
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
    const rates = new Map<string, PlanRate>(
      (
        await client.query<{
          id: string;
          hourly_price_minor: string;
          monthly_cap_minor: string;
          hour_rounding: "up" | "none";
        }>("SELECT id, hourly_price_minor, monthly_cap_minor, hour_rounding FROM plans")
      ).rows.map((p) => [
        p.id,
        {
          hourlyMinor: Number(p.hourly_price_minor),
          monthlyCapMinor: Number(p.monthly_cap_minor),
          hourRounding: p.hour_rounding,
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
    const mismatches: string[] = [];
    let expectedInvoices = 0;
    let expectedTotal = 0;
    for (const accountId of customers) {
      const profile = profileOf.get(accountId);
      const zone = profile?.time_zone ?? ZONE;
      const month = billingMonth(PERIOD, zone);
      const charges = monthCharges(intervalsOf.get(accountId) ?? [], rates, month);
      const discounts = (redemptionsOf.get(accountId) ?? []).flatMap((r) =>
        discountLines(r, charges, PERIOD, zone),
      );
      const subtotal =
        charges.reduce((a, ch) => a + ch.amountMinor, 0) + discounts.reduce((a, d) => a + d.amountMinor, 0);
      const taxes = taxLines(
        subtotal,
        profile?.tax_region ? (taxByRegion.get(profile.tax_region) ?? []) : [],
      );
      const total = subtotal + taxes.reduce((a, t) => a + t.amountMinor, 0);
      const invoice = invoiceOf.get(accountId);
      if (charges.length === 0) {
        if (invoice) mismatches.push(`${accountId}: no usage, yet invoice ${invoice.number} was issued`);
        continue;
      }
      expectedInvoices++;
      expectedTotal += total;
      if (!invoice) mismatches.push(`${accountId}: expected an invoice of ${total}, none was issued`);
      else if (Number(invoice.total_minor) !== total)
        mismatches.push(
          `${accountId}: invoice ${invoice.number} totals ${invoice.total_minor}, recomputed ${total}`,
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
