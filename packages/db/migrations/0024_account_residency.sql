-- Data residency (docs/placement.md): the jurisdictions an account's servers must stay in, as
-- ISO 3166 codes ("CA", "CA-QC"). Empty: no requirement. Placement refuses every site whose
-- jurisdiction label satisfies none of them. Validated by the controller before it is written.
ALTER TABLE accounts ADD COLUMN required_jurisdictions jsonb NOT NULL DEFAULT '[]';
