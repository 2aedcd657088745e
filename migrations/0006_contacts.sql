-- Typed profile fields of contacts (OBLIGATIONS SVC-1). contacts.profile stays jsonb; this table says
-- what each key holds, so imports, corrections and the API validate values, and selections can
-- filter on them: a text or choice value is a JSON string, a number a JSON number, a date a
-- 'YYYY-MM-DD' string.
CREATE TABLE profile_fields (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  key        text NOT NULL CHECK (key ~ '^[a-z0-9_]{1,64}$'),
  type       text NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice')),
  label_nl   text NOT NULL CHECK (length(label_nl) BETWEEN 1 AND 200),
  label_en   text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 200),
  -- The allowed values of a choice field, in display order; null for the other types.
  options    jsonb CHECK ((type = 'choice') = (options IS NOT NULL)),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

ALTER TABLE profile_fields ENABLE ROW LEVEL SECURITY;
ALTER TABLE profile_fields FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON profile_fields USING (tenant_id = peil_current_tenant())
  WITH CHECK (tenant_id = peil_current_tenant());

-- Keys already in use (imported before fields had types) become text fields, labelled by their key.
INSERT INTO profile_fields (tenant_id, key, type, label_nl, label_en)
SELECT DISTINCT c.tenant_id, k.key, 'text', k.key, k.key
FROM contacts c, jsonb_object_keys(c.profile) AS k(key)
WHERE k.key ~ '^[a-z0-9_]{1,64}$'
ON CONFLICT DO NOTHING;
