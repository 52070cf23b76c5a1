import { ForbiddenError, InvalidInputError, requireAdmin } from "@layerboom/core";
import type { BrandRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { portalDomainOwner, verifiedPortalDomainOf } from "./verified-domains.js";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";

/** A data: URL logo is stored in the row and sent with every page, so it stays small. */
export const MAX_DATA_LOGO_CHARS = 65_536;
const MAX_URL_LOGO_CHARS = 2048;

const COLOR = /^#[0-9a-f]{6}$/;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
// SVG is left out: as a data: URL it can carry script.
const DATA_LOGO = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

const DEFAULT_PRIMARY = "#1f2937";
const DEFAULT_ACCENT = "#2563eb";

/** A brand as the API shows it; `is_default` when the account has set none. */
export interface BrandView {
  account_id: string;
  name: string;
  logo_url: string | null;
  primary_color: string;
  accent_color: string;
  support_email: string | null;
  /** The brand's verified portal domain (docs/security.md, "Portal domains"); set through /portal-domains. */
  portal_domain: string | null;
  is_default: boolean;
}

/**
 * What a brand owner sends; every field but the name may be left out (kept) or null (cleared).
 * The portal domain is not among them: it must be proven (branding/claims.ts).
 */
export interface BrandInput {
  name: string;
  logo_url?: string | null | undefined;
  primary_color?: string | undefined;
  accent_color?: string | undefined;
  support_email?: string | null | undefined;
}

function view(row: BrandRow, portalDomain: string | null): BrandView {
  return {
    account_id: row.account_id,
    name: row.name,
    logo_url: row.logo_url,
    primary_color: row.primary_color,
    accent_color: row.accent_color,
    support_email: row.support_email,
    portal_domain: portalDomain,
    is_default: false,
  };
}

/** An account's brand, or the neutral default that carries the account's own name. */
export async function brandOf(db: Kysely<Schema>, accountId: string): Promise<BrandView> {
  const row = await db
    .selectFrom("brands")
    .selectAll()
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  const portalDomain = await verifiedPortalDomainOf(db, accountId);
  if (row) return view(row, portalDomain);
  const account = await db
    .selectFrom("accounts")
    .select("name")
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  return {
    account_id: accountId,
    name: account.name,
    logo_url: null,
    primary_color: DEFAULT_PRIMARY,
    accent_color: DEFAULT_ACCENT,
    support_email: null,
    portal_domain: portalDomain,
    is_default: true,
  };
}

/** The account that serves this one (its parent: a customer's reseller or the provider), or itself at the top. */
export async function servingAccountId(db: Kysely<Schema>, accountId: string): Promise<string> {
  const account = await db
    .selectFrom("accounts")
    .select(["id", "parent_id"])
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  return account.parent_id ?? account.id;
}

function checkLogo(logo: string): void {
  if (logo.startsWith("data:")) {
    if (logo.length > MAX_DATA_LOGO_CHARS)
      throw new InvalidInputError(
        "logo_url",
        `A data: URL logo may be at most ${MAX_DATA_LOGO_CHARS} characters (this one has ${logo.length}); host larger logos at an https URL.`,
      );
    if (!DATA_LOGO.test(logo))
      throw new InvalidInputError(
        "logo_url",
        "A data: URL logo must be a base64 PNG, JPEG, GIF or WebP image (data:image/png;base64,...).",
      );
    return;
  }
  let url: URL;
  try {
    url = new URL(logo);
  } catch {
    throw new InvalidInputError("logo_url", `The logo ${logo.slice(0, 80)} is not a URL.`);
  }
  if (url.protocol !== "https:" || logo.length > MAX_URL_LOGO_CHARS || url.username || url.password)
    throw new InvalidInputError(
      "logo_url",
      `The logo must be an https URL of at most ${MAX_URL_LOGO_CHARS} characters without credentials, or a small data: URL.`,
    );
}

/** Normalises and checks a brand; throws an InvalidInputError naming the first bad field. */
export function compileBrandInput(input: BrandInput): BrandInput {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100)
    throw new InvalidInputError("name", "The brand name is 1 to 100 characters.");
  const out: BrandInput = { name };
  if (input.logo_url !== undefined) {
    if (input.logo_url !== null) checkLogo(input.logo_url);
    out.logo_url = input.logo_url;
  }
  for (const field of ["primary_color", "accent_color"] as const) {
    const value = input[field];
    if (value === undefined) continue;
    const lower = value.toLowerCase();
    if (!COLOR.test(lower))
      throw new InvalidInputError(field, `${field} must be a colour like #1a2b3c, not ${value}.`);
    out[field] = lower;
  }
  if (input.support_email !== undefined) {
    const email = input.support_email?.trim() ?? null;
    if (email !== null && (email.length > 254 || !EMAIL.test(email)))
      throw new InvalidInputError("support_email", `${email} is not an email address.`);
    out.support_email = email;
  }
  return out;
}

function requireBrandOwner(ctx: ServiceContext, action: string): void {
  requireAdmin(ctx.principal, action);
  if (ctx.principal.accountKind === "customer")
    throw new ForbiddenError(
      `Only a reseller or the provider may ${action}; customers see their reseller's.`,
    );
}

/** The caller's own brand (resellers and the provider). */
export async function getOwnBrand(ctx: ServiceContext): Promise<BrandView> {
  requireBrandOwner(ctx, "manage a brand");
  return brandOf(ctx.database.db, ctx.principal.accountId);
}

/** Sets the caller's own brand; fields left out keep their value. */
export async function setOwnBrand(ctx: ServiceContext, raw: BrandInput): Promise<BrandView> {
  requireBrandOwner(ctx, "manage a brand");
  const input = compileBrandInput(raw);
  const { name, ...rest } = input;
  const now = new Date();
  const db = ctx.database.db;
  const row = await db.transaction().execute(async (trx) => {
    const saved = await trx
      .insertInto("brands")
      .values({ account_id: ctx.principal.accountId, name, ...rest, updated_at: now })
      .onConflict((oc) => oc.column("account_id").doUpdateSet({ name, ...rest, updated_at: now }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "brand.update",
      resourceType: "brand",
      resourceId: ctx.principal.accountId,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { ...input, logo_url: input.logo_url?.slice(0, 100) },
    });
    return saved;
  });
  return view(row, await verifiedPortalDomainOf(db, ctx.principal.accountId));
}

/** The brand the caller's account is served under: its reseller's, or the provider's. */
export async function effectiveBrand(ctx: ServiceContext): Promise<BrandView> {
  return brandOf(ctx.database.db, await servingAccountId(ctx.database.db, ctx.principal.accountId));
}

/** A brand as anyone may see it, before logging in. */
export type PublicBrandView = Pick<BrandView, "name" | "logo_url" | "primary_color" | "accent_color">;

const pick = ({ name, logo_url, primary_color, accent_color }: PublicBrandView): PublicBrandView => ({
  name,
  logo_url,
  primary_color,
  accent_color,
});

/**
 * What an unauthenticated login page may know of a brand, found by its portal domain. Only a
 * verified domain counts: a claim still pending, or refused, finds nothing.
 */
export async function publicBrandByDomain(
  db: Kysely<Schema>,
  domain: string,
): Promise<PublicBrandView | undefined> {
  const owner = await portalDomainOwner(db, domain);
  return owner ? pick(await brandOf(db, owner.accountId)) : undefined;
}

/**
 * The brand a logged-out visitor sees: the reseller named by its slug, else the reseller whose
 * portal domain this is, else the provider's. `undefined` only for a slug that names no reseller.
 */
export async function publicBrand(
  db: Kysely<Schema>,
  where: { domain?: string | undefined; reseller?: string | undefined },
): Promise<PublicBrandView | undefined> {
  if (where.reseller !== undefined) {
    const reseller = await db
      .selectFrom("accounts")
      .select("id")
      .where("slug", "=", where.reseller)
      .where("kind", "=", "reseller")
      .executeTakeFirst();
    return reseller ? pick(await brandOf(db, reseller.id)) : undefined;
  }
  if (where.domain !== undefined) {
    const byDomain = await publicBrandByDomain(db, where.domain);
    if (byDomain) return byDomain;
  }
  const provider = await db
    .selectFrom("accounts")
    .select("id")
    .where("kind", "=", "provider")
    .executeTakeFirstOrThrow();
  return pick(await brandOf(db, provider.id));
}

/** Who a mail to an account's users comes from: the brand serving that account. */
export interface MailIdentity {
  /** The brand's name, for the mail's text. */
  name: string;
  /** A From header with the brand's support address; undefined to keep the configured sender. */
  from: string | undefined;
  /** The origin of the brand's own portal (`https://<portal domain>`), if it has one. */
  portalOrigin: string | undefined;
}

/** The identity of the brand with this account id (a reseller, or the provider). */
export async function mailIdentityOf(db: Kysely<Schema>, brandAccountId: string): Promise<MailIdentity> {
  const brand = await brandOf(db, brandAccountId);
  return {
    name: brand.name,
    from: brand.support_email
      ? `"${brand.name.replace(/["\\\r\n]/g, "")}" <${brand.support_email}>`
      : undefined,
    portalOrigin: brand.portal_domain ? `https://${brand.portal_domain}` : undefined,
  };
}
