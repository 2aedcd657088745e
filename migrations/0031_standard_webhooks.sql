-- Issue 15 (OBLIGATIONS SVC-5): webhooks to the Standard Webhooks specification, with secret rotation.
--
-- Secrets: a Standard Webhooks secret is `whsec_<base64 of the key bytes>`; the HMAC key is the
-- decoded bytes. The secrets issued before this migration are `whsec_<base64url>` and were used as
-- HMAC keys as text (Peil-Signature: t=..,v1=<hex>). They keep working ('legacy'): a legacy webhook
-- still gets its Peil-Signature header, and its Standard Webhooks signature uses the same key bytes
-- (the secret's text), which the standardwebhooks libraries accept as `whsec_` + base64(secret text).
-- Rotating gives a 'standard' secret; when the overlap ends, the legacy header stops.
-- (The secrets are sealed with the tenant key, so SQL cannot convert them; it only marks them.)
ALTER TABLE webhooks
  ADD COLUMN secret_scheme text NOT NULL DEFAULT 'legacy' CHECK (secret_scheme IN ('legacy', 'standard')),
  -- Rotation: the secret before the last rotation keeps signing beside the new one until previous_until.
  ADD COLUMN previous_secret_enc bytea,
  ADD COLUMN previous_secret_scheme text CHECK (previous_secret_scheme IN ('legacy', 'standard')),
  ADD COLUMN previous_until timestamptz,
  ADD COLUMN rotated_at timestamptz,
  ADD CONSTRAINT webhooks_previous_secret CHECK ((previous_secret_enc IS NULL) = (previous_until IS NULL) AND (previous_secret_enc IS NULL) = (previous_secret_scheme IS NULL));
ALTER TABLE webhooks ALTER COLUMN secret_scheme SET DEFAULT 'standard';
