-- Resellers sell partner sites (issue 17, docs/federation.md "Resale of partner sites"): a
-- reseller's own price on a partner plan, as `reseller_prices` holds its price on the provider's
-- plans, and what a remote server of a reseller's customer pinned at its create.

-- A reseller's retail price on one plan of a received offer (this installation's offer id and the
-- partner's plan id), in the offer's currency when it was set: a price in a currency the offer no
-- longer uses sells nothing until it is set again. No row: the plan is not sold to its customers.
CREATE TABLE reseller_partner_prices (
  account_id         text NOT NULL REFERENCES accounts (id),
  offer_id           text NOT NULL REFERENCES federation_offers_received (id),
  plan_id            text NOT NULL,
  currency           text NOT NULL,
  hourly_price_minor bigint NOT NULL CHECK (hourly_price_minor >= 0),
  monthly_cap_minor  bigint NOT NULL CHECK (monthly_cap_minor >= hourly_price_minor),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, offer_id, plan_id)
);

-- A reseller's customer's remote server: retail_* is the reseller's price (what the customer
-- pays), and these the provider's retail price at the create (what the reseller pays on its
-- wholesale invoice). Null for the provider's own customers.
ALTER TABLE remote_servers ADD COLUMN reseller_id text REFERENCES accounts (id);
ALTER TABLE remote_servers ADD COLUMN reseller_cost_hourly_minor bigint
  CHECK (reseller_cost_hourly_minor >= 0);
ALTER TABLE remote_servers ADD COLUMN reseller_cost_monthly_cap_minor bigint
  CHECK (reseller_cost_monthly_cap_minor >= reseller_cost_hourly_minor);
ALTER TABLE remote_servers ADD CONSTRAINT remote_servers_reseller_cost_whole CHECK (
  (reseller_id IS NULL AND reseller_cost_hourly_minor IS NULL AND reseller_cost_monthly_cap_minor IS NULL)
  OR (reseller_id IS NOT NULL AND reseller_cost_hourly_minor IS NOT NULL AND reseller_cost_monthly_cap_minor IS NOT NULL)
);
