import { randomBytes } from "node:crypto";
import { newId } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { hashPassword } from "./identity/passwords.js";
import { issueApiToken } from "./identity/auth.js";
import { insertUser } from "./identity/users.js";

export interface FirstAdmin {
  email: string;
  /** Only when we generated it: printed once, never stored in clear. */
  generatedPassword?: string;
  userId: string;
}

export interface BootstrapResult {
  providerAccountId: string;
  /** Present only on the run that created the admin. */
  firstAdmin?: FirstAdmin;
}

/**
 * Creates the provider account and its first admin on an empty database. Idempotent: on a
 * database that already has a provider it changes nothing and reveals no credentials.
 */
export async function bootstrapProvider(
  database: Database,
  options: { providerName?: string; adminEmail?: string | undefined; adminPassword?: string | undefined },
): Promise<BootstrapResult> {
  const existing = await database.db
    .selectFrom("accounts")
    .select("id")
    .where("kind", "=", "provider")
    .executeTakeFirst();
  if (existing) return { providerAccountId: existing.id };
  const email = options.adminEmail ?? "admin@localhost";
  const generatedPassword = options.adminPassword ? undefined : randomBytes(18).toString("base64url");
  const passwordHash = await hashPassword(options.adminPassword ?? generatedPassword ?? "");
  const id = newId("account");
  return database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("accounts")
      .values({
        id,
        kind: "provider",
        parent_id: null,
        path: `/${id}/`,
        name: options.providerName ?? "Provider",
        slug: "provider",
      })
      .execute();
    const user = await insertUser(trx, {
      accountId: id,
      email,
      name: "Administrator",
      role: "provider-admin",
      passwordHash,
    });
    await trx
      .insertInto("audit_log")
      .values({
        id: newId("audit"),
        actor_user_id: null,
        account_id: id,
        account_path: `/${id}/`,
        action: "install.bootstrap",
        resource_type: "user",
        resource_id: user.id,
        details: JSON.stringify({ email }),
      })
      .execute();
    return {
      providerAccountId: id,
      firstAdmin: { email, userId: user.id, ...(generatedPassword ? { generatedPassword } : {}) },
    };
  });
}

/**
 * The demo plans' currency: the demo site is in Ontario. It is the one place a currency is chosen
 * for the provider (at setup, for plans it can edit); every invoice takes its currency from plans.
 */
const DEMO_CURRENCY = "CAD";

/** The demo catalogue `layerboom up` starts with: one local site and three plans (in DEMO_CURRENCY). */
export async function seedDemoCatalog(database: Database, timeZone: string): Promise<void> {
  const hasSite = await database.db
    .selectFrom("sites")
    .select("id")
    .where("name", "=", "local")
    .executeTakeFirst();
  if (!hasSite) {
    await database.db
      .insertInto("sites")
      .values({
        id: newId("site"),
        name: "local",
        country_code: "CA",
        region_code: "ON",
        jurisdiction: "CA",
        time_zone: timeZone,
      })
      .execute();
  }
  const plans = [
    {
      name: "nano",
      vcpus: 1,
      memory_mib: 256,
      disk_gib: 2,
      transfer_gib: 500,
      hourly_price_minor: 1,
      monthly_cap_minor: 500,
    },
    {
      name: "small",
      vcpus: 1,
      memory_mib: 1024,
      disk_gib: 10,
      transfer_gib: 1000,
      hourly_price_minor: 2,
      monthly_cap_minor: 1200,
    },
    {
      name: "medium",
      vcpus: 2,
      memory_mib: 2048,
      disk_gib: 40,
      transfer_gib: 2000,
      hourly_price_minor: 4,
      monthly_cap_minor: 2400,
    },
  ];
  for (const plan of plans) {
    await database.db
      .insertInto("plans")
      .values({ id: newId("plan"), currency: DEMO_CURRENCY, ...plan })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
  }
}

/** A token for the local CLI of the machine that ran `layerboom up`. */
export async function issueLocalCliToken(database: Database, userId: string): Promise<string> {
  return (await issueApiToken(database, userId, "layerboom up (local CLI)", null)).token;
}
