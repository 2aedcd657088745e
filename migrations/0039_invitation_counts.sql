-- Issue 17: the results page's "invited" without counting the survey's invitations on every view
-- (an index-only count of 10M invitations is hundreds of milliseconds, as long as the whole view may
-- take). The survey keeps the number of its invitations, kept by statement triggers on every insert
-- and delete, whichever path makes them (invite, restore, retention, a contact's deletion by cascade,
-- the survey's deletion). Invitations never move to another survey, so updates need no trigger.
-- invited = invitations_count + invitations_erased (0016), as count(*) + invitations_erased was.

ALTER TABLE surveys ADD COLUMN invitations_count integer NOT NULL DEFAULT 0;

UPDATE surveys s SET invitations_count = x.n
  FROM (SELECT tenant_id, survey_id, count(*)::int AS n FROM invitations GROUP BY tenant_id, survey_id) x
 WHERE s.tenant_id = x.tenant_id AND s.id = x.survey_id;

CREATE FUNCTION peil_count_invitations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE surveys s SET invitations_count = s.invitations_count + x.n
      FROM (SELECT tenant_id, survey_id, count(*)::int AS n FROM peil_new GROUP BY tenant_id, survey_id) x
     WHERE s.tenant_id = x.tenant_id AND s.id = x.survey_id;
  ELSE
    UPDATE surveys s SET invitations_count = s.invitations_count - x.n
      FROM (SELECT tenant_id, survey_id, count(*)::int AS n FROM peil_old GROUP BY tenant_id, survey_id) x
     WHERE s.tenant_id = x.tenant_id AND s.id = x.survey_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER invitations_count_insert AFTER INSERT ON invitations REFERENCING NEW TABLE AS peil_new
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_invitations();
CREATE TRIGGER invitations_count_delete AFTER DELETE ON invitations REFERENCING OLD TABLE AS peil_old
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_invitations();
