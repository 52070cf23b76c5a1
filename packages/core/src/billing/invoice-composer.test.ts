import { describe, expect, it } from "vitest";
import { MissingCurrencyError, MixedCurrenciesError } from "./errors.js";
import { composeInvoice, sumEnergy } from "./invoice-composer.js";
import type { CustomerMonth, InvoicePlan, ServerSite, SiteEnergy } from "./invoice-composer.js";
import type { TaxRate } from "./taxes.js";

const TORONTO = "America/Toronto";
const VANCOUVER = "America/Vancouver";
const HOUR = 3_600_000;
const GIB = 2 ** 30;
const at = (iso: string) => Date.parse(iso);
const hoursFrom = (iso: string, hours: number) => ({ startMs: at(iso), endMs: at(iso) + hours * HOUR });

const plan = (p: Partial<InvoicePlan> & Pick<InvoicePlan, "name" | "currency">): InvoicePlan => ({
  hourlyMinor: 7,
  monthlyCapMinor: 3000,
  hourRounding: "up",
  backupsPercent: 25,
  extraIpv4MonthlyMinor: 300,
  transferGib: 100,
  transferOverageMinorPerGib: 2,
  ...p,
});
const CAD_PLANS = new Map<string, InvoicePlan>([
  ["small", plan({ name: "small", currency: "CAD" })],
  [
    "exact",
    plan({ name: "exact", currency: "CAD", hourlyMinor: 10, monthlyCapMinor: 100_000, hourRounding: "none" }),
  ],
]);
const TWO_CURRENCIES = new Map([
  ...CAD_PLANS,
  ["usd", plan({ name: "usd", currency: "USD", hourlyMinor: 5 })],
]);
const QC: TaxRate[] = [
  { region: "CA-QC", name: "GST", rateMicros: 50_000 },
  { region: "CA-QC", name: "QST", rateMicros: 99_750 },
];
const ON: TaxRate[] = [{ region: "CA-ON", name: "HST", rateMicros: 130_000 }];

const month = (accountId: string, m: Partial<CustomerMonth> = {}): CustomerMonth => ({
  accountId,
  zone: TORONTO,
  intervals: [],
  backupIntervals: [],
  ipv4Intervals: [],
  transfer: [],
  redemptions: [],
  energy: [],
  ...m,
});
const energy = (
  siteId: string,
  kwh: number,
  cost: number | null,
  currency = "CAD",
  carbonMg: bigint | null = null,
): SiteEnergy => ({
  siteId,
  energyUj: BigInt(kwh * 3.6e12),
  cost: cost === null ? null : { amountMinor: cost, currency },
  carbonMg,
});
const rows = (lines: { kind: string; description: string; quantity: string; amountMinor: number }[]) =>
  lines.map((l) => [l.kind, l.description, l.quantity, l.amountMinor]);

describe("a customer's invoice", () => {
  // January 2026 in Toronto: 744 h, from 05:00Z on the 1st.
  const january = month("acc_c", {
    intervals: [
      { serverId: "srv_a", planId: "small", startMs: at("2025-12-20T00:00:00Z"), endMs: null },
      { serverId: "srv_b", planId: "small", ...hoursFrom("2026-01-10T05:00:00Z", 10.5) },
      { serverId: "srv_c", planId: "exact", ...hoursFrom("2026-01-05T00:00:00Z", 1.25) },
    ],
    backupIntervals: [{ serverId: "srv_b", planId: "small", ...hoursFrom("2026-01-10T05:00:00Z", 10.5) }],
    ipv4Intervals: [
      {
        serverId: "srv_a",
        planId: "small",
        address: "203.0.113.5",
        ...hoursFrom("2026-01-01T05:00:00Z", 31),
      },
    ],
    transfer: [
      { serverId: "srv_a", planId: "small", outBytes: 150n * BigInt(GIB), inBytes: 10n * BigInt(GIB) },
      { serverId: "srv_b", planId: "small", outBytes: BigInt(GIB), inBytes: 0n },
    ],
    redemptions: [
      {
        code: "SPRING",
        terms: { kind: "amount", value: 100, scope: "all-servers", durationMonths: 1 },
        redeemedAtMs: at("2026-01-02T00:00:00Z"),
      },
      {
        code: "HALF",
        terms: { kind: "percent", value: 5000, scope: "first-server", durationMonths: 6 },
        redeemedAtMs: at("2026-01-03T00:00:00Z"),
        firstServerId: "srv_b",
      },
    ],
    energy: [energy("site_a", 2, 25, "CAD", 60_000n)],
  });

  it("bills a month of several servers with rounding, add-ons, codes, energy and taxes", () => {
    const invoice = composeInvoice({
      kind: "customer",
      period: "2026-01",
      plans: CAD_PLANS,
      billsEnergy: false,
      taxRates: QC,
      customer: january,
    });
    expect(rows(invoice.lines)).toEqual([
      // 744 h × 7 = 5208, capped at 3000.
      ["usage", "Server srv_a on plan small (monthly cap)", "744 h", 3000],
      // 10.5 h, every started hour: 11 h × 7 = 77.
      ["usage", "Server srv_b on plan small", "11 h", 77],
      // To the second: 1.25 h × 10 = 12.5, half up: 13.
      ["usage", "Server srv_c on plan exact", "1.2500 h", 13],
      // 11 h × 7 = 77 × 25 % = 19.25: 19.
      ["backups", "Backups of server srv_b (25% of plan small)", "11 h", 19],
      // 300 × 31 / 744 = 12.5, half up: 13.
      ["ipv4", "Extra IPv4 203.0.113.5 on server srv_a: 31 h", "31 h", 13],
      // All month: 100 GiB included, 50 GiB over × 2. srv_b's 1 GiB is within its share: no line.
      [
        "transfer",
        "Transfer of server srv_a: 150.0 GiB sent, 100.0 GiB included, 50.0 GiB over at 0.02 CAD/GiB",
        "50.0 GiB",
        100,
      ],
      // A fixed 1.00 goes to the first server in order; half of srv_b's 77 is 38.5: 39.
      ["discount", "SPRING: amount off", "", -100],
      ["discount", "HALF: 50% off your first server", "", -39],
      [
        "energy",
        "Energy: 2.000 kWh, 0.060 kg CO2e, costs 0.25 CAD (for information, not charged)",
        "2.000 kWh",
        0,
      ],
      // 3090 + 19 + 13 + 100 − 139 = 3083. GST 154.15: 154. QST 307.53: 308.
      ["tax", "GST 5%", "", 154],
      ["tax", "QST 9.975%", "", 308],
    ]);
    expect(invoice).toMatchObject({
      currency: "CAD",
      subtotalMinor: 3083,
      taxMinor: 462,
      totalMinor: 3545,
      energyBilled: false,
      empty: false,
    });
    // Every server's transfer is kept for the draft, the one within its allowance at 0.
    expect(invoice.customers[0]!.transfer.map((t) => [t.serverId, t.amountMinor])).toEqual([
      ["srv_a", 100],
      ["srv_b", 0],
    ]);
    expect(invoice.lines.find((l) => l.kind === "usage")).toMatchObject({
      serverId: "srv_a",
      planId: "small",
      details: { used_seconds: 744 * 3600, uncapped_minor: 5208 },
    });
  });

  it("charges energy when the issuer bills it, summed over sites, and taxes it", () => {
    const invoice = composeInvoice({
      kind: "customer",
      period: "2026-01",
      plans: CAD_PLANS,
      billsEnergy: true,
      taxRates: ON,
      customer: month("acc_e", {
        intervals: [{ serverId: "srv_a", planId: "small", ...hoursFrom("2026-01-10T00:00:00Z", 100) }],
        energy: [energy("site_a", 1, 10), energy("site_b", 0.5, 15)],
      }),
    });
    // 700 + 25 = 725; HST 94.25: 94.
    expect(rows(invoice.lines).slice(1)).toEqual([
      ["energy", "Energy: 1.500 kWh, costs 0.25 CAD", "1.500 kWh", 25],
      ["tax", "HST 13%", "", 94],
    ]);
    expect([invoice.subtotalMinor, invoice.taxMinor, invoice.totalMinor]).toEqual([725, 94, 819]);
  });

  it("counts the month in progress up to now", () => {
    const invoice = composeInvoice({
      kind: "customer",
      period: "2026-01",
      plans: CAD_PLANS,
      billsEnergy: false,
      taxRates: [],
      customer: month("acc_n", {
        intervals: [{ serverId: "srv_a", planId: "small", startMs: at("2025-12-01T00:00:00Z"), endMs: null }],
      }),
      nowMs: at("2026-01-01T15:30:00Z"),
    });
    // 05:00 to 15:30 is 10.5 h: 11 h × 7.
    expect(invoice.customers[0]!.charges).toMatchObject([{ billedHours: 11, amountMinor: 77 }]);
    expect(invoice.totalMinor).toBe(77);
  });

  it("refuses plans in two currencies on one invoice, naming each", () => {
    const compose = () =>
      composeInvoice({
        kind: "customer",
        period: "2026-01",
        plans: TWO_CURRENCIES,
        billsEnergy: false,
        taxRates: [],
        customer: month("acc_2", {
          intervals: [
            { serverId: "srv_a", planId: "small", ...hoursFrom("2026-01-10T00:00:00Z", 3) },
            { serverId: "srv_u", planId: "usd", ...hoursFrom("2026-01-10T00:00:00Z", 3) },
          ],
        }),
      });
    expect(compose).toThrow(MixedCurrenciesError);
    expect(compose).toThrow(
      "The invoice of account acc_2 for 2026-01 would charge in several currencies: CAD (plan small), USD (plan usd).",
    );
  });

  it("refuses billed energy in another currency than the plans, and shows unbilled energy in its own", () => {
    const customer = month("acc_x", {
      intervals: [{ serverId: "srv_a", planId: "small", ...hoursFrom("2026-01-10T00:00:00Z", 3) }],
      energy: [energy("site_us", 1, 40, "USD")],
    });
    const terms = { kind: "customer", period: "2026-01", plans: CAD_PLANS, taxRates: [], customer } as const;
    expect(() => composeInvoice({ ...terms, billsEnergy: true })).toThrow(
      /CAD \(plan small\), USD \(energy at site_us\)/,
    );
    const shown = composeInvoice({ ...terms, billsEnergy: false });
    expect(shown.currency).toBe("CAD");
    expect(shown.lines.find((l) => l.kind === "energy")).toMatchObject({
      description: "Energy: 1.000 kWh, costs 0.40 USD (for information, not charged)",
      amountMinor: 0,
      details: { cost_minor: 40, currency: "USD", billed: false },
    });
    expect(shown.totalMinor).toBe(21);
  });

  it("takes the currency from the plans when nothing is charged, and refuses when they do not agree", () => {
    const terms = { kind: "customer", period: "2026-01", billsEnergy: false, taxRates: [] } as const;
    const idle = composeInvoice({ ...terms, plans: CAD_PLANS, customer: month("acc_i") });
    expect(idle).toMatchObject({ currency: "CAD", empty: true, totalMinor: 0 });
    expect(idle.lines.map((l) => l.description)).toEqual([
      "Energy: 0.000 kWh, 0.000 kg CO2e, costs 0.00 CAD (for information, not charged)",
    ]);
    // Nothing on it: no currency to show, and nothing to issue.
    expect(composeInvoice({ ...terms, plans: TWO_CURRENCIES, customer: month("acc_i") })).toMatchObject({
      currency: null,
      empty: true,
    });
    // Energy without a tariff is something to show, and no plan says in which currency.
    const unpriced = () =>
      composeInvoice({
        ...terms,
        plans: TWO_CURRENCIES,
        customer: month("acc_i", { energy: [energy("site_a", 0.2, null)] }),
      });
    expect(unpriced).toThrow(MissingCurrencyError);
    expect(unpriced).toThrow(
      "The invoice of account acc_i for 2026-01 has no currency: none of its lines is priced in one, and the plans are in several (CAD, USD).",
    );
    // Priced energy names its own.
    expect(
      composeInvoice({
        ...terms,
        plans: TWO_CURRENCIES,
        customer: month("acc_i", { energy: [energy("site_a", 0.2, 3, "USD")] }),
      }).currency,
    ).toBe("USD");
  });
});

describe("a reseller's wholesale invoice", () => {
  const sites = new Map<string, ServerSite>([
    ["srv_1", { siteId: "site_a", siteName: "Toronto 1" }],
    ["srv_2", { siteId: "site_a", siteName: "Toronto 1" }],
    ["srv_3", { siteId: "site_b", siteName: "Vancouver 1" }],
  ]);
  const customers = [
    month("acc_1", {
      intervals: [
        { serverId: "srv_1", planId: "small", ...hoursFrom("2026-01-03T00:00:00Z", 48) },
        { serverId: "srv_2", planId: "small", ...hoursFrom("2026-01-10T00:00:00Z", 12) },
      ],
      backupIntervals: [
        { serverId: "srv_1", planId: "small", ...hoursFrom("2026-01-03T00:00:00Z", 10) },
        { serverId: "srv_2", planId: "small", ...hoursFrom("2026-01-10T00:00:00Z", 10) },
      ],
      // The reseller's codes are its own cost: the wholesale invoice ignores them.
      redemptions: [
        {
          code: "HALF",
          terms: { kind: "percent", value: 5000, scope: "all-servers", durationMonths: 1 },
          redeemedAtMs: at("2026-01-02T00:00:00Z"),
        },
      ],
      energy: [energy("site_a", 1, 12, "CAD", 30_000n)],
    }),
    month("acc_2", {
      // Its month runs from 08:00Z on the 1st, in Vancouver.
      zone: VANCOUVER,
      intervals: [{ serverId: "srv_3", planId: "small", startMs: at("2025-12-01T00:00:00Z"), endMs: null }],
      ipv4Intervals: [
        {
          serverId: "srv_3",
          planId: "small",
          address: "203.0.113.7",
          ...hoursFrom("2026-01-10T08:00:00Z", 24),
        },
        {
          serverId: "srv_3",
          planId: "small",
          address: "203.0.113.8",
          ...hoursFrom("2026-01-10T08:00:00Z", 24),
        },
      ],
      transfer: [{ serverId: "srv_3", planId: "small", outBytes: BigInt(110.25 * GIB), inBytes: 0n }],
      energy: [energy("site_b", 0.5, 7)],
    }),
  ];
  const wholesale = {
    kind: "wholesale",
    period: "2026-01",
    plans: CAD_PLANS,
    billsEnergy: true,
    taxRates: ON,
    resellerId: "acc_r",
    customers,
    serverSites: sites,
  } as const;

  it("sums the customers' servers by site and plan, and the add-ons by plan, each as rounded on their invoices", () => {
    const invoice = composeInvoice(wholesale);
    expect(rows(invoice.lines)).toEqual([
      // 48 h × 7 + 12 h × 7 = 336 + 84.
      ["usage", "Plan small at Toronto 1: 2 servers", "60 h", 420],
      // All of Vancouver's January: 744 h × 7, capped at 3000.
      ["usage", "Plan small at Vancouver 1: 1 server", "744 h", 3000],
      // Each server: 10 h × 7 = 70 × 25 % = 17.5, half up: 18; twice is 36, not 140 × 25 % = 35.
      ["backups", "Backups on plan small: 2 servers", "20 h", 36],
      // Each address: 300 × 24 / 744 = 9.68: 10.
      ["ipv4", "Extra IPv4 on plan small: 2 addresses", "48 h", 20],
      // 110.25 GiB sent, 100 included: 10.25 × 2 = 20.5: 21.
      [
        "transfer",
        "Transfer beyond the allowance on plan small: 1 server, 10.3 GiB over at 0.02 CAD/GiB",
        "10.3 GiB",
        21,
      ],
      // 12 + 7, billed; one site has no carbon figure, so the sum has none.
      ["energy", "Energy of your customers' servers: 1.500 kWh, costs 0.19 CAD", "1.500 kWh", 19],
      // 420 + 3000 + 36 + 20 + 21 + 19 = 3516; HST 457.08: 457.
      ["tax", "HST 13%", "", 457],
    ]);
    expect(invoice).toMatchObject({ currency: "CAD", subtotalMinor: 3516, taxMinor: 457, totalMinor: 3973 });
    expect(invoice.lines[0]).toMatchObject({
      serverId: null,
      planId: "small",
      details: { site_id: "site_a", servers: 2, server_hours: 60, wholesale: true },
    });
    expect(invoice.customers.flatMap((c) => c.discounts)).toEqual([]);
  });

  it("equals the customers' own server lines at the same prices", () => {
    const serverKinds = new Set(["usage", "backups", "ipv4", "transfer"]);
    const sum = (lines: { kind: string; amountMinor: number }[]) =>
      lines.filter((l) => serverKinds.has(l.kind)).reduce((a, l) => a + l.amountMinor, 0);
    const theirs = customers.map((customer) =>
      sum(
        composeInvoice({
          kind: "customer",
          period: "2026-01",
          plans: CAD_PLANS,
          billsEnergy: false,
          taxRates: [],
          customer,
        }).lines,
      ),
    );
    expect(theirs).toEqual([420 + 36, 3000 + 20 + 21]);
    expect(sum(composeInvoice(wholesale).lines)).toBe(theirs[0]! + theirs[1]!);
  });

  it("refuses customers in two currencies, naming the reseller", () => {
    const usd = month("acc_3", {
      intervals: [{ serverId: "srv_9", planId: "usd", ...hoursFrom("2026-01-10T00:00:00Z", 3) }],
    });
    expect(() =>
      composeInvoice({ ...wholesale, plans: TWO_CURRENCIES, customers: [...customers, usd] }),
    ).toThrow(
      // The provider bills energy: the customers' energy, priced in CAD, counts too.
      "The invoice of account acc_r for 2026-01 would charge in several currencies: CAD (plan small, energy at site_a, energy at site_b), USD (plan usd).",
    );
  });

  it("is empty when no customer used anything", () => {
    expect(composeInvoice({ ...wholesale, customers: [month("acc_1")] })).toMatchObject({
      empty: true,
      totalMinor: 0,
    });
  });
});

describe("energy over several sites", () => {
  it("adds kWh, carbon and cost, each site's cost rounded at the site", () => {
    expect(sumEnergy([energy("a", 1, 10, "CAD", 1_000n), energy("b", 2, 5, "CAD", 500n)])).toEqual({
      kwh: 3,
      carbonKg: 0.0015,
      costMinor: 15,
      currency: "CAD",
    });
  });

  it("has no cost when a site has no tariff, or when the sites price in several currencies", () => {
    expect(sumEnergy([energy("a", 1, 10), energy("b", 1, null)])).toMatchObject({
      costMinor: null,
      currency: null,
    });
    expect(sumEnergy([energy("a", 1, 10), energy("b", 1, 3, "USD")])).toMatchObject({
      costMinor: null,
      currency: null,
      costCurrencies: ["CAD", "USD"],
    });
  });

  it("refuses billing energy priced in several currencies, and says so when it is only shown", () => {
    const customer = month("acc_m", { energy: [energy("a", 1, 10), energy("b", 1, 3, "USD")] });
    const terms = { kind: "customer", period: "2026-01", plans: CAD_PLANS, taxRates: [], customer } as const;
    expect(() => composeInvoice({ ...terms, billsEnergy: true })).toThrow(MixedCurrenciesError);
    expect(composeInvoice({ ...terms, billsEnergy: false }).lines[0]!.description).toBe(
      "Energy: 2.000 kWh (priced in CAD and USD) (for information, not charged)",
    );
  });
});
