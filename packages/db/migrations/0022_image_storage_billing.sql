-- Stored images on the invoice (issue 15 part 3, docs/billing.md "Image storage"): the bytes of
-- an account's own images (imported, captured, shared copies; never public catalogue images),
-- integrated over time and charged per GiB-month at the issuer's price.

-- An issuer's price for a GiB of stored images for a whole month, in minor units of its currency.
-- Null on the provider: image storage is free. Null on a reseller: its customers pay the
-- provider's price (as for a plan without a retail price); 0 gives it away.
ALTER TABLE billing_settings ADD COLUMN image_storage_minor_per_gib_month bigint
  CHECK (image_storage_minor_per_gib_month >= 0);
ALTER TABLE billing_settings ADD COLUMN image_storage_currency text
  CHECK (image_storage_currency ~ '^[A-Z]{3}$');
ALTER TABLE billing_settings ADD CONSTRAINT billing_settings_image_storage_priced_in_a_currency
  CHECK ((image_storage_minor_per_gib_month IS NULL) = (image_storage_currency IS NULL));

-- An image's stored life: its account, its bytes, from the transaction that made it available to
-- the one that deleted it. Written with those changes, as usage_intervals are with a server's, so
-- a crash keeps both or neither and no hour is billed twice; at most one open interval per image.
CREATE TABLE image_storage_intervals (
  id          text PRIMARY KEY,
  image_id    text NOT NULL REFERENCES images (id),
  account_id  text NOT NULL REFERENCES accounts (id),
  size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX image_storage_intervals_one_open ON image_storage_intervals (image_id) WHERE ended_at IS NULL;
CREATE INDEX image_storage_intervals_account ON image_storage_intervals (account_id, started_at);

-- Images already stored start their meter now: nothing was charged for them before.
INSERT INTO image_storage_intervals (id, image_id, account_id, size_bytes, started_at)
  SELECT 'ist_' || substr(id, 5), id, account_id, size_bytes, now()
  FROM images
  WHERE status = 'available' AND deleted_at IS NULL AND visibility <> 'public' AND size_bytes IS NOT NULL;

ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_kind_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_kind_check
  CHECK (kind IN ('usage', 'discount', 'energy', 'tax', 'credit', 'backups', 'ipv4', 'transfer', 'image-storage'));
