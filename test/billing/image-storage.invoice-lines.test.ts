import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { describeOnEachDatabase } from "../support/databases.js";
import { runCli } from "../support/hosts.js";
import { jobFinished, uploadImage } from "../support/image-jobs.js";
import { buildWorld, createTenant } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";

// Stored images on the invoice (docs/billing.md, "Image storage"): images imported through the
// API and copies of them are metered from the transaction that makes them available to the one
// that deletes them; the intervals' ends are then moved into March 2026, as the other billing
// tests move usage intervals, and the month is closed. Amounts are worked out from the stored
// bytes the import produced (read back through the API), with the formula written beside them.

const GIB = 2n ** 30n;
const HOUR = 3_600_000;
/** March 2026 in Toronto: 743 hours (DST starts on the 8th), 05:00Z on the 1st to 04:00Z on 1 April. */
const MARCH_MS = 743n * BigInt(HOUR);

/** `n / d` rounded half up, as the invoice rounds. */
const halfUp = (n: bigint, d: bigint) => Number((2n * n + d) / (2n * d));

describeOnEachDatabase("stored images on invoices on %s", (kind) => {
  let c: TestController;
  let world: World;
  let dir: string;
  let disk: string;
  /** A direct customer of the provider, which pays the provider's 5.00 CAD per GiB-month. */
  let direct: Tenant;
  /** A customer of reseller 1, which sells stored images at 8.00 CAD. */
  let resold: Tenant;
  /** A customer of reseller 2, which gives stored images away (a price of 0). */
  let giveaway: Tenant;
  let imported: { id: string; size: number };
  let copy: { id: string; size: number };
  let resoldImage: { id: string; size: number };
  let giveawayImage: { id: string; size: number };

  async function importImage(tenant: Tenant, name: string): Promise<{ id: string; size: number }> {
    const queued = await uploadImage(c, tenant.token, disk, { name, format: "qcow2" });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await jobFinished(tenant.api, queued.body.id);
    expect(job.state, JSON.stringify(job)).toBe("succeeded");
    const image = await tenant.api.get(`/images/${job.image_id}`);
    expect(image.body.size_bytes).toBeGreaterThan(30 * 2 ** 20);
    return { id: image.body.id, size: image.body.size_bytes };
  }

  /** Moves an image's storage interval: it "was stored" from `from` to `to` (null: still stored). */
  async function storedFrom(imageId: string, from: string, to?: string | null): Promise<void> {
    await c.database.db
      .updateTable("image_storage_intervals")
      .set({
        started_at: new Date(from),
        ...(to !== undefined ? { ended_at: to === null ? null : new Date(to) } : {}),
      })
      .where("image_id", "=", imageId)
      .execute();
  }

  const price = (minor: number | null, currency: string | null = minor === null ? null : "CAD") => ({
    image_storage_minor_per_gib_month: minor,
    image_storage_currency: currency,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-image-storage-"));
    // 32 MiB of random data, which qcow2 stores as it is: about 0.03 GiB per image.
    const raw = join(dir, "disk.raw");
    await writeFile(raw, randomBytes(32 * 2 ** 20));
    disk = join(dir, "disk.qcow2");
    await runProgram("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", "--", raw, disk]);

    c = await startTestController(kind);
    world = await buildWorld(c);
    direct = await createTenant(c, world.provider, "customer");
    resold = await createTenant(c, world.reseller1.api, "customer");
    giveaway = await createTenant(c, world.reseller2.api, "customer");
    const set = async (tenant: { put: World["provider"]["put"] }, body: object) => {
      const res = await tenant.put("/billing/settings", body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    expect(await set(world.provider, price(500))).toMatchObject({
      image_storage_minor_per_gib_month: 500,
      image_storage_currency: "CAD",
    });
    await set(world.reseller1.api, price(800));
    await set(world.reseller2.api, price(0));

    imported = await importImage(direct, "direct-disk");
    const copied = await direct.api.post("/images", {
      name: "direct-copy",
      visibility: "private",
      from_image_id: imported.id,
    });
    expect(copied.status, JSON.stringify(copied.body)).toBe(201);
    copy = { id: copied.body.id, size: copied.body.size_bytes };
    resoldImage = await importImage(resold, "resold-disk");
    giveawayImage = await importImage(giveaway, "giveaway-disk");
  }, 300_000);

  afterAll(async () => {
    await c?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a price without its currency, a negative one, and one set by a customer, naming the field", async () => {
    const noCurrency = await world.provider.put("/billing/settings", {
      image_storage_minor_per_gib_month: 5,
    });
    expect(noCurrency.status).toBe(400);
    expect(noCurrency.body.error.details.field).toBe("image_storage_currency");
    const noPrice = await world.provider.put("/billing/settings", { image_storage_currency: "CAD" });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.error.details.field).toBe("image_storage_minor_per_gib_month");
    const negative = await world.provider.put("/billing/settings", price(-1));
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toContain("image_storage_minor_per_gib_month");
    const lowerCase = await world.provider.put("/billing/settings", price(5, "cad"));
    expect(lowerCase.status).toBe(400);
    expect(lowerCase.body.error.message).toContain("image_storage_currency");
    expect((await direct.api.put("/billing/settings", price(1))).status).toBe(400);
    // Nothing changed: the provider's price is still 5.00 CAD.
    const settings = await c.database.db
      .selectFrom("billing_settings")
      .innerJoin("accounts", "accounts.id", "billing_settings.account_id")
      .select(["image_storage_minor_per_gib_month", "image_storage_currency"])
      .where("accounts.kind", "=", "provider")
      .executeTakeFirstOrThrow();
    expect([Number(settings.image_storage_minor_per_gib_month), settings.image_storage_currency]).toEqual([
      500,
      "CAD",
    ]);
  });

  it("meters each stored image from the moment it is made until it is deleted, once", async () => {
    expect(copy.size).toBe(imported.size);
    const open = await c.database.db
      .selectFrom("image_storage_intervals")
      .selectAll()
      .where("account_id", "=", direct.accountId)
      .orderBy("image_id")
      .execute();
    expect(open.map((r) => [r.image_id, Number(r.size_bytes), r.ended_at])).toEqual(
      [
        [imported.id, imported.size, null],
        [copy.id, copy.size, null],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // One open interval per image: a second meter for the same image cannot be written.
    await expect(
      c.database.db
        .insertInto("image_storage_intervals")
        .values({
          id: "ist_00000000000000000000000000",
          image_id: copy.id,
          account_id: direct.accountId,
          size_bytes: copy.size,
          started_at: new Date(),
          ended_at: null,
        })
        .execute(),
    ).rejects.toThrow();
    // Public catalogue images and records without content have no meter.
    const worldImages = await c.database.db
      .selectFrom("image_storage_intervals")
      .select("image_id")
      .where("image_id", "in", [world.imageId, world.a.imageId])
      .execute();
    expect(worldImages).toEqual([]);

    // Deleting stops the meter in the delete's transaction; deleting again is a 404 and changes nothing.
    const before = Date.now();
    expect((await direct.api.del(`/images/${imported.id}`)).status).toBe(204);
    expect((await direct.api.del(`/images/${imported.id}`)).status).toBe(404);
    const closed = await c.database.db
      .selectFrom("image_storage_intervals")
      .selectAll()
      .where("image_id", "=", imported.id)
      .execute();
    expect(closed).toHaveLength(1);
    expect(closed[0]!.ended_at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(closed[0]!.ended_at!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    // Now into March 2026: the import stored from midnight EDT on the 10th to midnight on the
    // 25th (360 h), the copy from midnight on the 31st to the month's end (24 h, still stored).
    await storedFrom(imported.id, "2026-03-10T04:00:00Z", "2026-03-25T04:00:00Z");
    await storedFrom(copy.id, "2026-03-31T04:00:00Z");
    // The reseller's customers' images: stored since February, all 743 hours of March.
    await storedFrom(resoldImage.id, "2026-02-20T00:00:00Z");
    await storedFrom(giveawayImage.id, "2026-02-20T00:00:00Z");
  });

  /** The direct customer's March: (360 + 24) h of one image's bytes at 5.00 CAD per GiB-month. */
  const directByteMs = () => BigInt(imported.size) * 384n * BigInt(HOUR);
  const directAmount = () => halfUp(directByteMs() * 500n, GIB * MARCH_MS);

  it("shows the month's stored images in the usage so far, and only the account's own", async () => {
    const usage = await direct.api.get("/billing/usage?period=2026-03");
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    // 32 MiB and a little × 384 / 743 × 5.00 CAD ≈ 0.08 CAD.
    expect(usage.body.imageStorage).toMatchObject({
      images: 2,
      byteMs: directByteMs().toString(),
      hoursInMonth: 743,
      price: { minorPerGibMonth: 500, currency: "CAD" },
      amountMinor: directAmount(),
    });
    expect(directAmount()).toBeGreaterThan(0);
    expect(usage.body.subtotalMinor).toBe(directAmount());
    expect(usage.body.currency).toBe("CAD");
    const cli = await runCli(c, direct.token, ["billing", "usage", "--period", "2026-03"]);
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toContain(
      `Stored images: 2, ${usage.body.imageStorage.gibMonths.toFixed(4)} GiB-months, ${(directAmount() / 100).toFixed(2)} CAD`,
    );
    // A reseller's customer sees its reseller's price: all March × 8.00 CAD.
    const resoldUsage = await resold.api.get("/billing/usage?period=2026-03");
    expect(resoldUsage.body.imageStorage).toMatchObject({
      images: 1,
      amountMinor: halfUp(BigInt(resoldImage.size) * 800n, GIB),
      price: { minorPerGibMonth: 800, currency: "CAD" },
    });
    // A price of 0 charges nothing: no image storage at all.
    expect((await giveaway.api.get("/billing/usage?period=2026-03")).body.imageStorage).toBeNull();
    // Other tenants store nothing here; another tenant's account is not found, like a missing one.
    expect((await world.customer3.api.get("/billing/usage?period=2026-03")).body.imageStorage).toBeNull();
    const theirs = await resold.api.get(`/billing/usage?period=2026-03&account_id=${direct.accountId}`);
    const missing = await resold.api.get(
      "/billing/usage?period=2026-03&account_id=acc_00000000000000000000000000",
    );
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body.error.code).toBe(missing.body.error.code);
  });

  it("closes March with an image-storage line of the exact amount, once", async () => {
    const closed = await world.provider.post("/billing/close", { period: "2026-03" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const issued = closed.body.issued.find((i: any) => i.account_id === direct.accountId);
    expect(issued, "the direct customer's invoice").toBeDefined();
    const invoice = (await direct.api.get(`/invoices/${issued.id}`)).body;
    const gibMonths = (Number((directByteMs() * 1_000_000n) / (GIB * MARCH_MS)) / 1_000_000).toFixed(4);
    expect(invoice.lines.map((l: any) => [l.kind, l.quantity, l.amount_minor])).toEqual([
      ["image-storage", `${gibMonths} GiB-months`, directAmount()],
      ["energy", "0.000 kWh", 0],
    ]);
    const line = invoice.lines[0];
    expect(line.description).toMatch(
      /^Stored images: 2 images, \d+\.\d\d GiB-hours at 5\.00 CAD\/GiB-month$/,
    );
    expect(line.details).toMatchObject({
      images: 2,
      byte_ms: directByteMs().toString(),
      price_minor_per_gib_month: 500,
      currency: "CAD",
    });
    expect(invoice).toMatchObject({ currency: "CAD", subtotal_minor: directAmount() });
    const csv = await fetch(`${c.url}/invoices/${issued.id}/csv`, {
      headers: { authorization: `Bearer ${direct.token}` },
    });
    expect((await csv.text()).split("\n").some((row) => row.includes(",image-storage,"))).toBe(true);

    // Closing March again bills nothing twice.
    const again = await world.provider.post("/billing/close", { period: "2026-03" });
    expect(again.body.issued).toEqual([]);
    const lines = await c.database.db
      .selectFrom("invoice_lines")
      .innerJoin("invoices", "invoices.id", "invoice_lines.invoice_id")
      .select("invoice_lines.amount_minor")
      .where("invoices.account_id", "=", direct.accountId)
      .where("invoice_lines.kind", "=", "image-storage")
      .execute();
    expect(lines.map((l) => Number(l.amount_minor))).toEqual([directAmount()]);
  });

  it("bills a reseller's customer at the reseller's price and the reseller at the provider's", async () => {
    // The provider's close (previous test, or now) issued the wholesale invoices.
    expect((await world.provider.post("/billing/close", { period: "2026-03" })).status).toBe(200);
    const wholesaleOf = async (reseller: Tenant) => {
      const row = (await reseller.api.get("/invoices?period=2026-03")).body.items.find(
        (i: any) => i.account_id === reseller.accountId,
      );
      expect(row, `the provider's invoice to ${reseller.accountId}`).toBeDefined();
      return (await reseller.api.get(`/invoices/${row.id}`)).body;
    };
    // Reseller 1 pays the provider's 5.00 CAD for its customer's 743 hours: size × 500 / 2³⁰.
    const wholesale1 = await wholesaleOf(world.reseller1);
    expect(
      wholesale1.lines.filter((l: any) => l.kind === "image-storage").map((l: any) => l.amount_minor),
    ).toEqual([halfUp(BigInt(resoldImage.size) * 500n, GIB)]);
    const storage1 = wholesale1.lines.find((l: any) => l.kind === "image-storage");
    expect(storage1.description).toMatch(
      /^Stored images of your customers: 1 image, .* at 5\.00 CAD\/GiB-month$/,
    );
    expect(storage1.details).toMatchObject({ customers: 1, wholesale: true, price_minor_per_gib_month: 500 });
    // Reseller 2 gives its customers the storage; the provider still charges it.
    const wholesale2 = await wholesaleOf(world.reseller2);
    expect(
      wholesale2.lines.filter((l: any) => l.kind === "image-storage").map((l: any) => l.amount_minor),
    ).toEqual([halfUp(BigInt(giveawayImage.size) * 500n, GIB)]);

    const retail = await world.reseller1.api.post("/billing/close", { period: "2026-03" });
    expect(retail.status, JSON.stringify(retail.body)).toBe(200);
    const mine = retail.body.issued.find((i: any) => i.account_id === resold.accountId);
    const invoice = (await resold.api.get(`/invoices/${mine.id}`)).body;
    expect(invoice.lines.map((l: any) => [l.kind, l.amount_minor])).toEqual([
      // size × 743 h / 743 h × 8.00 CAD.
      ["image-storage", halfUp(BigInt(resoldImage.size) * 800n, GIB)],
      ["energy", 0],
    ]);
    expect(invoice.lines[0].description).toContain("at 8.00 CAD/GiB-month");

    // Reseller 2's price of 0: its customer has nothing to pay and gets no invoice.
    const free = await world.reseller2.api.post("/billing/close", { period: "2026-03" });
    expect(free.status, JSON.stringify(free.body)).toBe(200);
    expect(free.body.issued.filter((i: any) => i.account_id === giveaway.accountId)).toEqual([]);
  });

  it("charges nothing once the provider's price is cleared: no line, no invoice", async () => {
    const tooPrecise = await runCli(c, c.adminToken, [
      "billing",
      "settings",
      "--image-storage-price",
      "0.055",
    ]);
    expect(tooPrecise.code).not.toBe(0);
    expect(tooPrecise.output).toMatch(/--image-storage-price is an amount like 12.50/);
    const cleared = await runCli(c, c.adminToken, ["billing", "settings", "--image-storage-price", "none"]);
    expect(cleared.code, cleared.output).toBe(0);
    const settings = await c.database.db
      .selectFrom("billing_settings")
      .innerJoin("accounts", "accounts.id", "billing_settings.account_id")
      .select(["image_storage_minor_per_gib_month", "image_storage_currency"])
      .where("accounts.kind", "=", "provider")
      .executeTakeFirstOrThrow();
    expect(settings).toEqual({ image_storage_minor_per_gib_month: null, image_storage_currency: null });
    // The copy is still stored all of April, and reseller 1 still charges its own price.
    const april = await direct.api.get("/billing/usage?period=2026-04");
    expect(april.body.imageStorage).toBeNull();
    expect((await resold.api.get("/billing/usage?period=2026-04")).body.imageStorage).toMatchObject({
      price: { minorPerGibMonth: 800 },
    });
    const closed = await world.provider.post("/billing/close", { period: "2026-04" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.issued.filter((i: any) => i.account_id === direct.accountId)).toEqual([]);
    const wholesale = closed.body.issued.find((i: any) => i.account_id === world.reseller1.accountId);
    expect(wholesale, "no wholesale invoice: nothing is charged to reseller 1 in April").toBeUndefined();
  });
});
