import { describe, expect, it } from "vitest";
import { MixedCurrenciesError } from "./errors.js";
import { composeInvoice } from "./invoice-composer.js";
import type { CustomerMonth, InvoicePlan } from "./invoice-composer.js";
import { remoteServerCharge } from "./remote-servers.js";
import type { RemoteServerMonth } from "./remote-servers.js";

const H = 3_600_000;
const PLANS = new Map<string, InvoicePlan>([
  [
    "small",
    {
      name: "small",
      currency: "CAD",
      hourlyMinor: 7,
      monthlyCapMinor: 3000,
      hourRounding: "up",
      backupsPercent: 25,
      extraIpv4MonthlyMinor: 300,
      transferGib: 100,
      transferOverageMinorPerGib: 2,
    },
  ],
]);

const remote = (r: Partial<RemoteServerMonth> = {}): RemoteServerMonth => ({
  remoteServerId: "rsv_1",
  name: "web-1",
  peerName: "Provider B",
  currency: "CAD",
  retail: { hourlyMinor: 1543, monthlyCapMinor: 750_000 },
  records: 343,
  billedMs: 343 * H,
  energyWh: 60,
  carbonG: 1.5,
  ...r,
});

const month = (m: Partial<CustomerMonth>): CustomerMonth => ({
  accountId: "acc_1",
  zone: "America/Toronto",
  intervals: [],
  backupIntervals: [],
  ipv4Intervals: [],
  transfer: [],
  redemptions: [],
  energy: [],
  ...m,
});

const compose = (m: CustomerMonth) =>
  composeInvoice({
    kind: "customer",
    period: "2026-11",
    plans: PLANS,
    billsEnergy: true,
    taxRates: [],
    customer: m,
  });

describe("remote servers on a customer's invoice", () => {
  it("bills the partner's records at the retail price, capped, on a line of their own", () => {
    expect(remoteServerCharge(remote())).toMatchObject({ amountMinor: 343 * 1543, capped: false });
    expect(remoteServerCharge(remote({ billedMs: 665 * H }))).toMatchObject({
      amountMinor: 750_000,
      capped: true,
    });
    const invoice = compose(
      month({
        remoteServers: [remote(), remote({ remoteServerId: "rsv_2", name: "web-2", billedMs: 665 * H })],
      }),
    );
    expect(invoice.lines.map((l) => [l.kind, l.serverId, l.amountMinor])).toEqual([
      ["remote-server", "rsv_1", 529_249],
      ["remote-server", "rsv_2", 750_000],
      ["energy", null, 0],
    ]);
    expect(invoice.lines[1]!.description).toBe("Server web-2 at Provider B (monthly cap)");
    expect(invoice).toMatchObject({ currency: "CAD", subtotalMinor: 529_249 + 750_000, empty: false });
  });

  it("adds the partner's energy and carbon to the energy line, not to its cost", () => {
    const invoice = compose(month({ remoteServers: [remote()] }));
    const energy = invoice.lines.find((l) => l.kind === "energy")!;
    expect(energy.amountMinor).toBe(0);
    expect(energy.details).toMatchObject({ kwh: 0.06, remote_kwh: 0.06, carbon_kg: 0.0015 });
    expect(energy.description).toContain("0.060 kWh at partners' sites");
  });

  it("refuses a remote server priced in another currency than the customer's plans", () => {
    expect(() =>
      compose(
        month({
          intervals: [
            {
              serverId: "srv_1",
              planId: "small",
              startMs: Date.parse("2026-11-02T00:00:00Z"),
              endMs: Date.parse("2026-11-02T05:00:00Z"),
            },
          ],
          remoteServers: [remote({ currency: "USD" })],
        }),
      ),
    ).toThrow(MixedCurrenciesError);
  });
});

describe("a reseller's customer's remote server", () => {
  const resold = remote({
    retail: { hourlyMinor: 1800, monthlyCapMinor: 10_000 },
    resellerCost: { hourlyMinor: 1543, monthlyCapMinor: 750_000 },
    records: 9,
    billedMs: 9 * H,
  });
  const wholesale = (months: CustomerMonth[]) =>
    composeInvoice({
      kind: "wholesale",
      period: "2026-11",
      plans: PLANS,
      billsEnergy: true,
      taxRates: [],
      resellerId: "acc_reseller",
      customers: months,
      serverSites: new Map(),
    });

  it("is at the reseller's price on the customer's invoice and at its cost on the wholesale one", () => {
    expect(compose(month({ remoteServers: [resold] })).lines[0]).toMatchObject({
      kind: "remote-server",
      amountMinor: 10_000,
      description: "Server web-1 at Provider B (monthly cap)",
    });
    const invoice = wholesale([month({ remoteServers: [resold] })]);
    expect(invoice.lines.map((l) => [l.kind, l.serverId, l.amountMinor])).toEqual([
      ["remote-server", "rsv_1", 9 * 1543],
      ["energy", null, 0],
    ]);
    expect(invoice.lines[0]!.details).toMatchObject({ customer_id: "acc_1", retail_hourly_minor: 1543 });
  });

  it("refuses a remote server without a reseller cost on a wholesale invoice", () => {
    expect(() => wholesale([month({ remoteServers: [remote()] })])).toThrow(RangeError);
  });
});
