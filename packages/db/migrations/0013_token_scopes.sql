-- Scoped API tokens (issue 12, docs/security.md "API tokens and scopes"): what a token may do,
-- as a JSON array of scopes from core's token-scopes vocabulary. Tokens issued before this
-- change keep the full access they were issued with.
ALTER TABLE api_tokens ADD COLUMN scopes jsonb NOT NULL DEFAULT '["full"]';
