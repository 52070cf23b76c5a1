import { describe, expect, it } from "vitest";
import { imageStorageMonthCharge } from "./image-storage.js";
import { composeInvoice } from "./invoice-composer.js";
import type { CustomerMonth, InvoicePlan } from "./invoice-composer.js";
import { billingMonth } from "./usage.js";

const GIB = 2 ** 30;
const HOUR = 3_600_000;
// March 2026 in Toronto: 743 hours, from 05:00Z on the 1st.
const march = billingMonth("2026-03", "America/Toronto");
const at = (hours: number) => march.startMs + hours * HOUR;
const CAD5 = { minorPerGibMonth: 5, currency: "CAD" };

describe("imageStorageMonthCharge", () => {
  it("charges a GiB stored all month exactly the price, in a 743-hour month too", () => {
    const charge = imageStorageMonthCharge(
      [{ imageId: "img_a", bytes: GIB, startMs: march.startMs - 10 * HOUR, endMs: null }],
      CAD5,
      march,
    );
    expect(charge).toMatchObject({
      images: 1,
      gibMonths: 1,
      gibHours: 743,
      hoursInMonth: 743,
      amountMinor: 5,
    });
    expect(charge?.byteMs).toBe(BigInt(GIB) * 743n * BigInt(HOUR));
  });

  it("charges half for half the month, per image, and rounds once on the month's total", () => {
    // 10 GiB for 371.5 h (half of 743) and 1 GiB for 743 h at 10 a GiB-month: 50 + 10.
    const charge = imageStorageMonthCharge(
      [
        { imageId: "img_big", bytes: 10 * GIB, startMs: at(100), endMs: at(471.5) },
        { imageId: "img_small", bytes: GIB, startMs: at(0), endMs: null },
      ],
      { minorPerGibMonth: 10, currency: "CAD" },
      march,
    );
    expect(charge).toMatchObject({ images: 2, gibMonths: 6, amountMinor: 60 });
    // 3 images of 1 byte each for an hour: 3 byte-hours; each rounds to 0 alone, and so does the sum.
    const tiny = imageStorageMonthCharge(
      ["a", "b", "c"].map((id) => ({ imageId: id, bytes: 1, startMs: at(1), endMs: at(2) })),
      CAD5,
      march,
    );
    expect(tiny).toMatchObject({ images: 3, amountMinor: 0, byteMs: 3n * BigInt(HOUR) });
  });

  it("rounds half up: exactly half a minor unit is 1, a byte less is 0", () => {
    const halfGib = (bytes: number) =>
      imageStorageMonthCharge(
        [{ imageId: "img_h", bytes, startMs: march.startMs, endMs: null }],
        { minorPerGibMonth: 1, currency: "CAD" },
        march,
      )?.amountMinor;
    expect(halfGib(GIB / 2)).toBe(1);
    expect(halfGib(GIB / 2 - 1)).toBe(0);
  });

  it("clips to the month, counts an image's overlapping spans once, and runs open ones to now", () => {
    const spans = [
      { imageId: "img_a", bytes: GIB, startMs: at(-50), endMs: at(10) },
      { imageId: "img_a", bytes: GIB, startMs: at(5), endMs: at(20) },
      { imageId: "img_b", bytes: 2 * GIB, startMs: at(700), endMs: null },
    ];
    const closed = imageStorageMonthCharge(spans, CAD5, march);
    expect(closed?.gibHours).toBe(20 + 2 * 43);
    const soFar = imageStorageMonthCharge(spans, CAD5, march, at(710));
    expect(soFar?.gibHours).toBe(20 + 2 * 10);
    expect(imageStorageMonthCharge(spans, CAD5, march, march.startMs - HOUR)).toBeNull();
  });

  it("charges nothing without a price, at a price of 0, or with nothing stored in the month", () => {
    const stored = [{ imageId: "img_a", bytes: GIB, startMs: at(0), endMs: null }];
    expect(imageStorageMonthCharge(stored, null, march)).toBeNull();
    expect(imageStorageMonthCharge(stored, { minorPerGibMonth: 0, currency: "CAD" }, march)).toBeNull();
    expect(
      imageStorageMonthCharge([{ ...stored[0]!, startMs: at(-100), endMs: at(-1) }], CAD5, march),
    ).toBeNull();
    expect(() => imageStorageMonthCharge(stored, { minorPerGibMonth: 0.5, currency: "CAD" }, march)).toThrow(
      RangeError,
    );
  });
});

describe("composeInvoice with stored images", () => {
  const plans = new Map<string, InvoicePlan>([
    [
      "plan_usd",
      {
        name: "usd",
        currency: "USD",
        hourlyMinor: 1,
        monthlyCapMinor: 500,
        hourRounding: "up",
        backupsPercent: 20,
        extraIpv4MonthlyMinor: 300,
        transferGib: 100,
        transferOverageMinorPerGib: 1,
      },
    ],
  ]);
  const customer = (id: string, gib: number): CustomerMonth => ({
    accountId: id,
    zone: "America/Toronto",
    intervals: [],
    backupIntervals: [],
    ipv4Intervals: [],
    transfer: [],
    redemptions: [],
    energy: [],
    imageStorage: [{ imageId: `img_${id}`, bytes: gib * GIB, startMs: at(0), endMs: null }],
  });
  const terms = { period: "2026-03", plans, billsEnergy: false, taxRates: [] };

  it("gives a customer with only stored images an invoice with its own line", () => {
    const composed = composeInvoice({
      kind: "customer",
      ...terms,
      imageStoragePrice: { minorPerGibMonth: 7, currency: "USD" },
      customer: customer("acc_a", 3),
    });
    expect(composed.empty).toBe(false);
    expect(composed.currency).toBe("USD");
    expect(composed.lines.map((l) => [l.kind, l.quantity, l.amountMinor])).toEqual([
      ["image-storage", "3.0000 GiB-months", 21],
      ["energy", "0.000 kWh", 0],
    ]);
    expect(composed.lines[0]?.description).toBe(
      "Stored images: 1 image, 2229.00 GiB-hours at 0.07 USD/GiB-month",
    );
    expect(composed.subtotalMinor).toBe(21);
  });

  it("sums the customers' rounded amounts on the wholesale line", () => {
    const composed = composeInvoice({
      kind: "wholesale",
      ...terms,
      imageStoragePrice: { minorPerGibMonth: 7, currency: "USD" },
      resellerId: "acc_r",
      customers: [customer("acc_a", 1), customer("acc_b", 2)],
      serverSites: new Map(),
    });
    const line = composed.lines.find((l) => l.kind === "image-storage");
    expect(line).toMatchObject({
      amountMinor: 7 + 14,
      quantity: "3.0000 GiB-months",
      details: { images: 2, customers: 2, wholesale: true, price_minor_per_gib_month: 7 },
    });
  });

  it("refuses a price in another currency than the plans' charges, and has no line without a price", () => {
    const withServer: CustomerMonth = {
      ...customer("acc_a", 1),
      intervals: [{ serverId: "srv_a", planId: "plan_usd", startMs: at(0), endMs: at(10) }],
    };
    expect(() =>
      composeInvoice({
        kind: "customer",
        ...terms,
        imageStoragePrice: { minorPerGibMonth: 7, currency: "CAD" },
        customer: withServer,
      }),
    ).toThrow(/CAD \(image storage\), USD \(plan usd\)/);
    const free = composeInvoice({ kind: "customer", ...terms, customer: withServer });
    expect(free.lines.map((l) => l.kind)).toEqual(["usage", "energy"]);
    expect(composeInvoice({ kind: "customer", ...terms, customer: customer("acc_a", 1) }).empty).toBe(true);
  });
});
