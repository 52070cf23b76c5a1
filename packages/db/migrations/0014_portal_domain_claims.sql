-- Portal domains that must be proven (issue 12; docs/security.md, "Portal domains").
--
-- A brand's portal domain used to be whatever its owner typed into brands.portal_domain, so a
-- reseller could take the provider's own domain: the provider's login page then wore the
-- reseller's brand and public signups there became the reseller's customers. Now a domain
-- counts only once a claim on it is verified: the claimant published the controller's token
-- in DNS or over HTTP, or a provider admin assigned it.

CREATE TABLE portal_domain_claims (
  id           text PRIMARY KEY,
  -- The reseller (or the provider) whose brand the domain is to carry.
  account_id   text NOT NULL REFERENCES accounts (id),
  -- Normalised by the application: lower case, punycode, no trailing dot.
  domain       text NOT NULL CHECK (domain ~ '^[a-z0-9][a-z0-9.-]{0,251}[a-z0-9]$'),
  -- Random, issued by the controller for this claim; published by the claimant as its proof.
  token        text NOT NULL CHECK (length(token) BETWEEN 32 AND 128),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified')),
  -- How it was verified: a DNS TXT record, an HTTP file, or assigned by a provider admin.
  method       text CHECK (method IN ('dns', 'http', 'assigned')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- A pending claim's token is good until then; verifying later needs a new claim.
  expires_at   timestamptz NOT NULL,
  -- The last proof attempt and why it failed, for the claimant to read.
  checked_at   timestamptz,
  check_error  text,
  verified_at  timestamptz,
  CHECK ((status = 'verified') = (method IS NOT NULL AND verified_at IS NOT NULL)),
  UNIQUE (account_id, domain)
);

-- Many resellers may try for a domain; only the first to verify owns it.
CREATE UNIQUE INDEX portal_domain_claims_one_owner ON portal_domain_claims (domain)
  WHERE status = 'verified';
-- A brand has one portal domain: the origin of its mail links.
CREATE UNIQUE INDEX portal_domain_claims_one_per_account ON portal_domain_claims (account_id)
  WHERE status = 'verified';

-- Domains set before this change were never proven: they become pending claims with a fresh
-- token, so each owner proves them again (or the provider assigns them), and until then they
-- do nothing. md5 over random() is only an id here; the token takes two gen_random_uuid()s
-- (122 random bits each).
INSERT INTO portal_domain_claims (id, account_id, domain, token, expires_at)
SELECT
  'pdom_' || substr(md5(random()::text || account_id), 1, 26),
  account_id,
  portal_domain,
  replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
  now() + interval '7 days'
FROM brands
WHERE portal_domain IS NOT NULL
  AND portal_domain ~ '^[a-z0-9][a-z0-9.-]{0,251}[a-z0-9]$';

ALTER TABLE brands DROP COLUMN portal_domain;
