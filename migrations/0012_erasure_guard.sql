-- OBLIGATIONS SEC-1: once a customer's data key is destroyed (`peil tenant erase-key`), no clear
-- personal value of that customer can be written any more.
--
-- erase-key clears the columns kept in clear for aggregation (profile values, gender, function, closed
-- answers, scores, SMTP replies, ...; src/features/keys/scrub.ts) in the transaction that destroys
-- the key. A Peil process that still holds the key in its cache (up to 30 s, lib/crypto/keyring.ts),
-- or a job that was running, could otherwise write such a value right after, where no key destruction
-- would ever reach it again. These triggers refuse that statement (SQLSTATE PE410, answered as
-- 410 Gone). They check once per statement, over the statement's new rows (a transition table), and
-- only when some customer's key has been destroyed at all, so the writers' batches pay one look-up.
--
-- Deleting rows (END-3) is never refused, nor a write that leaves the clear columns empty.

CREATE FUNCTION peil_refuse_clear_after_erasure() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  erased uuid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM tenant_keys WHERE wrapped_key IS NULL) THEN
    RETURN NULL;
  END IF;
  -- TG_ARGV[0]: the condition, over the new row `n`, under which the row carries a clear value.
  EXECUTE format('SELECT n.tenant_id FROM peil_new n JOIN tenant_keys k ON k.tenant_id = n.tenant_id '
                 'WHERE k.wrapped_key IS NULL AND (%s) LIMIT 1', TG_ARGV[0])
    INTO erased;
  IF erased IS NOT NULL THEN
    RAISE EXCEPTION 'the data of customer % has been erased (its key was destroyed): % refused on %', erased, TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'PE410';
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  g record;
BEGIN
  FOR g IN SELECT * FROM (VALUES
    ('contacts', $c$n.gender IS NOT NULL OR n.function IS NOT NULL OR n.profile <> '{}'::jsonb$c$),
    ('responses', 'n.score IS NOT NULL OR n.answers IS NOT NULL'),
    ('invitations', 'n.last_error IS NOT NULL'),
    ('suppressions', $c$n.details <> '{}'::jsonb$c$),
    ('distributions', 'n.selection IS NOT NULL'),
    ('users', $c$n.email NOT LIKE '%@erased.invalid' OR n.name <> '' OR n.password_hash IS NOT NULL$c$),
    ('api_keys', 'n.last_used_ip IS NOT NULL'),
    ('labelling_terms_acceptances', 'n.ip IS NOT NULL'),
    ('support_grants', $c$n.reason <> '(erased)'$c$),
    ('webhook_deliveries', 'n.last_error IS NOT NULL'),
    ('webhook_attempts', 'n.error IS NOT NULL OR n.excerpt IS NOT NULL'),
    ('response_labelling', 'true'),
    ('response_labels', 'true'),
    ('label_corrections', 'true'),
    ('idempotency_keys', 'true'),
    ('released_breakdowns', 'true')
  ) AS x(tab, cond)
  LOOP
    -- A trigger with a transition table takes one event, so INSERT and UPDATE get one each.
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS peil_new FOR EACH STATEMENT '
                   'EXECUTE FUNCTION peil_refuse_clear_after_erasure(%L)', g.tab || '_erased_insert', g.tab, g.cond);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS peil_new FOR EACH STATEMENT '
                   'EXECUTE FUNCTION peil_refuse_clear_after_erasure(%L)', g.tab || '_erased_update', g.tab, g.cond);
  END LOOP;
END $$;
