-- Resellers in billing (docs/billing.md, "Resellers"): each reseller's brand and its retail prices.

-- How an issuer (a reseller, or the provider) presents itself to the customers it serves:
-- the portal, its login page, invoices and ticket mail.
CREATE TABLE brands (
  account_id     text PRIMARY KEY REFERENCES accounts (id),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- An https URL or a small data: URL (the application caps its size).
  logo_url       text,
  primary_color  text NOT NULL DEFAULT '#1f2937' CHECK (primary_color ~ '^#[0-9a-f]{6}$'),
  accent_color   text NOT NULL DEFAULT '#2563eb' CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
  support_email  text,
  -- Lower-case hostname; one brand per portal domain, so the login page finds its brand.
  portal_domain  text UNIQUE,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- A reseller's price for a provider plan, in the plan's currency. A plan without a row here is
-- sold to the reseller's customers at the provider's price.
CREATE TABLE reseller_prices (
  account_id          text NOT NULL REFERENCES accounts (id),
  plan_id             text NOT NULL REFERENCES plans (id),
  hourly_price_minor  bigint NOT NULL CHECK (hourly_price_minor >= 0),
  monthly_cap_minor   bigint NOT NULL CHECK (monthly_cap_minor >= hourly_price_minor),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, plan_id)
);
