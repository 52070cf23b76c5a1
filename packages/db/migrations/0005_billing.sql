-- Native billing (docs/billing.md): usage intervals, discount codes, invoices, payments.

-- How a plan rounds time: every started hour of the month ('up'), or to the second ('none').
ALTER TABLE plans ADD COLUMN hour_rounding text NOT NULL DEFAULT 'up' CHECK (hour_rounding IN ('up', 'none'));

-- A customer's (or reseller's) billing details.
CREATE TABLE billing_profiles (
  account_id      text PRIMARY KEY REFERENCES accounts (id),
  -- Months are split at local midnight of the 1st in this zone.
  time_zone       text NOT NULL DEFAULT 'America/Toronto',
  -- ISO 3166-2 subdivision (CA-ON); it selects the tax rates.
  tax_region      text,
  -- Money owed to the customer (credits), in the plans' currency.
  credit_minor    bigint NOT NULL DEFAULT 0 CHECK (credit_minor >= 0),
  suspended_at    timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What an issuer (the provider, or a reseller for its customers) decides.
CREATE TABLE billing_settings (
  account_id          text PRIMARY KEY REFERENCES accounts (id),
  -- 'billed': the energy line is charged; 'informational': shown at 0.
  energy_mode         text NOT NULL DEFAULT 'informational' CHECK (energy_mode IN ('billed', 'informational')),
  payment_terms_days  integer NOT NULL DEFAULT 14 CHECK (payment_terms_days >= 0),
  -- Days after the due date before an unpaid invoice suspends the customer's servers.
  grace_days          integer NOT NULL DEFAULT 7 CHECK (grace_days >= 0),
  invoice_prefix      text NOT NULL DEFAULT 'INV-' CHECK (invoice_prefix ~ '^[A-Z0-9-]{0,12}$'),
  -- Gapless numbering: taken with UPDATE ... RETURNING in the transaction that issues the invoice.
  next_number         bigint NOT NULL DEFAULT 1 CHECK (next_number >= 1)
);

-- Sales tax rates by region, editable; Canada's are seeded by the application.
CREATE TABLE tax_rates (
  region       text NOT NULL,
  name         text NOT NULL,
  rate_micros  integer NOT NULL CHECK (rate_micros >= 0 AND rate_micros <= 1000000),
  PRIMARY KEY (region, name)
);

-- A server's existence on a plan. Written in the same transaction as the lifecycle change,
-- so a crash cannot separate them; at most one open interval per server.
CREATE TABLE usage_intervals (
  id          text PRIMARY KEY,
  server_id   text NOT NULL REFERENCES servers (id),
  account_id  text NOT NULL REFERENCES accounts (id),
  plan_id     text NOT NULL REFERENCES plans (id),
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX usage_intervals_one_open ON usage_intervals (server_id) WHERE ended_at IS NULL;
CREATE INDEX usage_intervals_account ON usage_intervals (account_id, started_at);

CREATE TABLE discount_codes (
  id                text PRIMARY KEY,
  issuer_account_id text NOT NULL REFERENCES accounts (id),
  code              text NOT NULL CHECK (code ~ '^[A-Z0-9_-]{2,32}$'),
  kind              text NOT NULL CHECK (kind IN ('percent', 'amount')),
  -- Basis points for 'percent' (5000 = 50%), minor units per month for 'amount'.
  value             bigint NOT NULL CHECK (value > 0),
  scope             text NOT NULL CHECK (scope IN ('first-server', 'all-servers', 'plans')),
  plan_ids          jsonb NOT NULL DEFAULT '[]',
  duration_months   integer NOT NULL CHECK (duration_months BETWEEN 1 AND 120),
  expires_at        timestamptz,
  max_redemptions   integer CHECK (max_redemptions IS NULL OR max_redemptions > 0),
  redemptions       integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'percent' OR value <= 10000),
  UNIQUE (issuer_account_id, code)
);

CREATE TABLE code_redemptions (
  id               text PRIMARY KEY,
  code_id          text NOT NULL REFERENCES discount_codes (id),
  account_id       text NOT NULL REFERENCES accounts (id),
  redeemed_at      timestamptz NOT NULL DEFAULT now(),
  -- For first-server codes: the first server the customer creates after redeeming.
  first_server_id  text REFERENCES servers (id),
  UNIQUE (code_id, account_id)
);

CREATE TABLE invoices (
  id                 text PRIMARY KEY,
  number             text NOT NULL,
  issuer_account_id  text NOT NULL REFERENCES accounts (id),
  account_id         text NOT NULL REFERENCES accounts (id),
  kind               text NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit-note')),
  -- YYYY-MM for a monthly invoice; a credit note names the invoice it corrects.
  period             text NOT NULL,
  corrects_invoice_id text REFERENCES invoices (id),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal_minor     bigint NOT NULL,
  tax_minor          bigint NOT NULL,
  total_minor        bigint NOT NULL,
  credit_applied_minor bigint NOT NULL DEFAULT 0,
  amount_due_minor   bigint NOT NULL,
  status             text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'paid')),
  issued_at          timestamptz NOT NULL DEFAULT now(),
  due_at             timestamptz NOT NULL,
  paid_at            timestamptz,
  UNIQUE (issuer_account_id, number)
);
CREATE UNIQUE INDEX invoices_one_per_month ON invoices (account_id, period) WHERE kind = 'invoice';

CREATE TABLE invoice_lines (
  invoice_id   text NOT NULL REFERENCES invoices (id),
  position     integer NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('usage', 'discount', 'energy', 'tax', 'credit')),
  description  text NOT NULL,
  quantity     text NOT NULL DEFAULT '',
  amount_minor bigint NOT NULL,
  server_id    text,
  plan_id      text,
  details      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (invoice_id, position)
);

-- An issued invoice is immutable: corrections are credit notes. Enforced here too.
CREATE FUNCTION invoice_lines_are_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invoice lines are immutable once issued; issue a credit note instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION invoice_lines_are_immutable();

CREATE TABLE payments (
  id           text PRIMARY KEY,
  invoice_id   text NOT NULL REFERENCES invoices (id),
  account_id   text NOT NULL REFERENCES accounts (id),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  method       text NOT NULL,
  reference    text NOT NULL DEFAULT '',
  received_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text
);

-- A server stopped because its account is suspended for an unpaid invoice, and the state it
-- returns to on payment.
ALTER TABLE servers ADD COLUMN suspended_from_state text;

-- Canada's sales taxes (2025): editable data; core's CANADA_TAX_RATES holds the same defaults.
INSERT INTO tax_rates (region, name, rate_micros) VALUES
  ('CA-ON', 'HST', 130000),
  ('CA-NB', 'HST', 150000),
  ('CA-NL', 'HST', 150000),
  ('CA-NS', 'HST', 140000),
  ('CA-PE', 'HST', 150000),
  ('CA-QC', 'GST', 50000),
  ('CA-QC', 'QST', 99750),
  ('CA-BC', 'GST', 50000),
  ('CA-BC', 'PST', 70000),
  ('CA-MB', 'GST', 50000),
  ('CA-MB', 'RST', 70000),
  ('CA-SK', 'GST', 50000),
  ('CA-SK', 'PST', 60000),
  ('CA-AB', 'GST', 50000),
  ('CA-NT', 'GST', 50000),
  ('CA-NU', 'GST', 50000),
  ('CA-YT', 'GST', 50000);
