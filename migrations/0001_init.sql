-- Peil's first schema.
--
-- Rules that hold for every table below (ARCHITECTURE.md, "Database"):
--  * A tenant table carries tenant_id in its primary key, every unique key and every foreign key, so
--    that it can be distributed by tenant_id on Citus without changes.
--  * Row-level security is enabled and forced on every tenant table; the policy reads the tenant
--    from the transaction-local setting app.tenant_id (set by Db.tenant()). Without it: no rows.
--  * The application runs as role peil_app (SET LOCAL ROLE per transaction), which owns nothing and
--    has no BYPASSRLS. Global tables (tenants, keys, operators, sessions) have no tenant_id.
--  * Personal data of contacts is stored encrypted (bytea, AES-256-GCM with the tenant's data key);
--    look-ups by email go through an HMAC blind index.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'peil_app') THEN
    CREATE ROLE peil_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  -- Another database on the same server created it at the same moment.
  NULL;
END $$;

CREATE FUNCTION peil_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- ---------------------------------------------------------------- global tables

CREATE TABLE tenants (
  id          uuid PRIMARY KEY,
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'ended')),
  sector      text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- OBLIGATIONS SEC-1: one data key per tenant, wrapped by the master key. Destroying the wrapped key
-- (destroyed_at set, wrapped_key cleared) makes every copy of the tenant's personal data unreadable.
CREATE TABLE tenant_keys (
  tenant_id     uuid PRIMARY KEY REFERENCES tenants (id),
  wrapped_key   bytea,
  master_key_id text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  destroyed_at  timestamptz,
  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);

CREATE TABLE operators (
  id            uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE CHECK (email = lower(email)),
  name          text NOT NULL,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Sessions are looked up before the tenant is known, so this table is global. It holds ids only.
CREATE TABLE sessions (
  id_hash      bytea PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('user', 'operator')),
  tenant_id    uuid REFERENCES tenants (id),
  user_id      uuid,
  operator_id  uuid REFERENCES operators (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  CHECK ((kind = 'user') = (tenant_id IS NOT NULL AND user_id IS NOT NULL)),
  CHECK ((kind = 'operator') = (operator_id IS NOT NULL))
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Events that belong to no tenant (operator sign-ins, set-up).
CREATE TABLE system_audit_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL,
  actor_id    uuid,
  action      text NOT NULL,
  ip          text,
  request_id  text,
  details     jsonb NOT NULL DEFAULT '{}'
);

-- ---------------------------------------------------------------- tenant tables

CREATE TABLE users (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  email         text NOT NULL CHECK (email = lower(email)),
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'analyst', 'viewer')),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
  password_hash text,
  invited_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
);
CREATE INDEX users_email ON users (email);

-- A colleague's invitation: the token is tenant id + random; only its hash is stored.
CREATE TABLE user_invites (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  user_id     uuid NOT NULL,
  token_hash  bytea NOT NULL,
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE contacts (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL,
  email_hmac     bytea NOT NULL,
  email_enc      bytea NOT NULL,
  first_name_enc bytea,
  infix_enc      bytea,
  last_name_enc  bytea,
  phone_enc      bytea,
  gender         text CHECK (gender IN ('female', 'male', 'other', 'unknown')),
  language       text CHECK (language IN ('nl', 'en')),
  function       text,
  profile        jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email_hmac)
);

CREATE TABLE surveys (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind             text NOT NULL CHECK (kind IN ('nps')),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'closed')),
  default_language text NOT NULL DEFAULT 'nl' CHECK (default_language IN ('nl', 'en')),
  definition       jsonb NOT NULL,
  created_by       uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE distributions (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  survey_id   uuid NOT NULL,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  total       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id)
);

CREATE TABLE invitations (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL,
  survey_id       uuid NOT NULL,
  distribution_id uuid NOT NULL,
  contact_id      uuid NOT NULL,
  language        text NOT NULL CHECK (language IN ('nl', 'en')),
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  sent_at         timestamptz,
  opened_at       timestamptz,
  responded_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, survey_id, contact_id),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id),
  FOREIGN KEY (tenant_id, distribution_id) REFERENCES distributions (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
) WITH (fillfactor = 80); -- room for HOT updates: status, sent_at and responded_at change in place
CREATE INDEX invitations_distribution ON invitations (tenant_id, distribution_id, status);

CREATE TABLE responses (
  tenant_id     uuid NOT NULL,
  id            uuid NOT NULL,
  survey_id     uuid NOT NULL,
  invitation_id uuid,
  contact_id    uuid,
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  language      text NOT NULL CHECK (language IN ('nl', 'en')),
  -- The 0..10 answer in clear, for aggregation; everything the respondent typed is in answers_enc.
  score         smallint CHECK (score BETWEEN 0 AND 10),
  answers_enc   bytea NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, invitation_id)
);
CREATE INDEX responses_survey ON responses (tenant_id, survey_id, submitted_at, id);
CREATE INDEX responses_contact ON responses (tenant_id, contact_id) WHERE contact_id IS NOT NULL;

-- The responses table has no foreign keys, on purpose. Its rows are written by the response writer,
-- whose values come from the invitation row it updates in the same statement. Foreign keys cost a
-- third of that statement, and the one to surveys made every concurrent batch take a KEY SHARE lock
-- on the same survey row: PostgreSQL turns that into multixacts, and batches queued behind each
-- other (measured: 85 ms per batch instead of 10). Triggers on the rare deletes keep the links true:
-- deleting an invitation or a contact unlinks its responses (as ON DELETE SET NULL would), and a
-- survey with responses cannot be deleted (as the default NO ACTION would).
CREATE FUNCTION peil_unlink_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'contacts' THEN
    UPDATE responses SET contact_id = NULL WHERE tenant_id = OLD.tenant_id AND contact_id = OLD.id;
  ELSE
    UPDATE responses SET invitation_id = NULL WHERE tenant_id = OLD.tenant_id AND invitation_id = OLD.id;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER contacts_unlink_responses BEFORE DELETE ON contacts FOR EACH ROW EXECUTE FUNCTION peil_unlink_responses();
CREATE TRIGGER invitations_unlink_responses BEFORE DELETE ON invitations FOR EACH ROW EXECUTE FUNCTION peil_unlink_responses();
CREATE FUNCTION peil_keep_survey_with_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM responses WHERE tenant_id = OLD.tenant_id AND survey_id = OLD.id) THEN
    RAISE EXCEPTION 'survey % still has responses', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER surveys_keep_responses BEFORE DELETE ON surveys FOR EACH ROW EXECUTE FUNCTION peil_keep_survey_with_responses();

-- Mail that was not handed to an SMTP server (no SMTP_URL): the built-in outbox, readable by admins.
CREATE TABLE outbox (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  kind        text NOT NULL,
  message_enc bytea NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_created ON outbox (tenant_id, created_at DESC);

-- OBLIGATIONS LOG-1: who did what, when, from where; written in the same transaction as the action.
CREATE TABLE audit_events (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           bigint GENERATED ALWAYS AS IDENTITY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_kind   text NOT NULL CHECK (actor_kind IN ('user', 'operator', 'system', 'respondent', 'anonymous')),
  actor_id     uuid,
  action       text NOT NULL,
  subject_kind text,
  subject_id   text,
  ip           text,
  request_id   text,
  details      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_events_at ON audit_events (tenant_id, at DESC);

-- ---------------------------------------------------------------- isolation

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT unnest(ARRAY['users', 'user_invites', 'contacts', 'surveys', 'distributions',
                               'invitations', 'responses', 'outbox', 'audit_events'])
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = peil_current_tenant()) '
                   'WITH CHECK (tenant_id = peil_current_tenant())', t);
  END LOOP;
END $$;

-- Sign-in happens before the tenant is known. This second policy on users shows exactly the rows
-- whose email the sign-in transaction names in app.login_email, and nothing else.
CREATE POLICY login_lookup ON users FOR SELECT
  USING (email = nullif(current_setting('app.login_email', true), ''));

-- The audit log is append-only for the application.
REVOKE UPDATE, DELETE ON audit_events FROM PUBLIC;
