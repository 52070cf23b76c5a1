-- Energy transparency (docs/energy.md, "Collection and storage").

-- What a provider sets for each site: PUE, tariff, carbon intensity, and placement opt-in.
CREATE TABLE site_energy_settings (
  site_id                 text PRIMARY KEY REFERENCES sites (id),
  pue_milli               integer NOT NULL DEFAULT 1000 CHECK (pue_milli >= 1000),
  -- A core Tariff (kind "tou" carries its schedule; kind "hourly" reads site_energy_prices).
  tariff                  jsonb,
  currency                text NOT NULL DEFAULT 'CAD' CHECK (currency ~ '^[A-Z]{3}$'),
  -- A core CarbonIntensity without its points (hourly points live in site_carbon_intensity).
  carbon                  jsonb,
  -- Weigh price and carbon when a create leaves the site to Layerboom.
  energy_aware_placement  boolean NOT NULL DEFAULT false,
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- An hourly price series (IESO style), one row per UTC hour start.
CREATE TABLE site_energy_prices (
  site_id                 text NOT NULL REFERENCES sites (id),
  starts_at               timestamptz NOT NULL,
  price_per_mwh_minor     bigint NOT NULL,
  PRIMARY KEY (site_id, starts_at)
);

-- An hourly carbon-intensity series in mg CO2e per kWh.
CREATE TABLE site_carbon_intensity (
  site_id                 text NOT NULL REFERENCES sites (id),
  starts_at               timestamptz NOT NULL,
  mg_per_kwh              bigint NOT NULL CHECK (mg_per_kwh >= 0),
  PRIMARY KEY (site_id, starts_at)
);

-- The last energy sample applied for each (host, sampler lifetime): resent samples are skipped.
CREATE TABLE energy_cursors (
  host_id                 text NOT NULL REFERENCES hosts (id),
  boot_id                 text NOT NULL,
  last_seq                bigint NOT NULL,
  dropped                 bigint NOT NULL DEFAULT 0,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (host_id, boot_id)
);

-- Facility energy (PUE included) attributed to each server, in microjoules, per bucket.
-- Buckets are 300 s wide when fresh and rolled up into 3600 s buckets later.
CREATE TABLE server_energy (
  server_id               text NOT NULL,
  bucket_start            timestamptz NOT NULL,
  bucket_seconds          integer NOT NULL CHECK (bucket_seconds IN (300, 3600)),
  host_id                 text NOT NULL,
  energy_uj               bigint NOT NULL CHECK (energy_uj >= 0),
  -- The part of energy_uj split by CPU time (the rest is the server's share of idle power).
  active_energy_uj        bigint NOT NULL CHECK (active_energy_uj >= 0),
  cpu_time_us             bigint NOT NULL CHECK (cpu_time_us >= 0),
  estimated               boolean NOT NULL,
  -- The server's power over the latest sample that landed in this bucket.
  last_power_mw           bigint NOT NULL,
  last_sample_at          timestamptz NOT NULL,
  PRIMARY KEY (server_id, bucket_start)
) WITH (fillfactor = 80); -- room on each page for HOT updates: a bucket is updated by every sample

-- Each host's energy per bucket: IT energy as metered, facility energy, and its split.
CREATE TABLE host_energy (
  host_id                 text NOT NULL REFERENCES hosts (id),
  bucket_start            timestamptz NOT NULL,
  bucket_seconds          integer NOT NULL CHECK (bucket_seconds IN (300, 3600)),
  it_energy_uj            bigint NOT NULL CHECK (it_energy_uj >= 0),
  facility_energy_uj      bigint NOT NULL CHECK (facility_energy_uj >= 0),
  allocated_uj            bigint NOT NULL CHECK (allocated_uj >= 0),
  unallocated_uj          bigint NOT NULL CHECK (unallocated_uj >= 0),
  source_kind             text NOT NULL CHECK (source_kind IN ('rapl', 'hwmon', 'model')),
  estimated               boolean NOT NULL,
  last_power_mw           bigint NOT NULL,
  last_sample_at          timestamptz NOT NULL,
  PRIMARY KEY (host_id, bucket_start)
) WITH (fillfactor = 80);
CREATE INDEX host_energy_bucket_idx ON host_energy (bucket_start);
