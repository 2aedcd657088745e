-- Issue 17: live breakdowns from rollups. The rollup of 0036 now also keeps each breakdown's cells
-- (results/histograms.ts breakdownRows): per grouping, group value and key score. Some groupings
-- are the contact's (gender, function, profile fields) and the response's link to its contact, so
-- the rollup is forgotten, as in 0036, when one of those changes behind the cursor: a contact's
-- gender, function or profile changed, a contact deleted, or a response's contact or language
-- changed. Without a cursor a view counts from the responses and the job counts again.

CREATE OR REPLACE FUNCTION peil_rollup_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    DELETE FROM response_rollup_cursors c USING peil_new n
     WHERE c.tenant_id = n.tenant_id AND c.survey_id = n.survey_id AND (n.submitted_at, n.id) <= (c.at, c.id);
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM response_rollup_cursors c USING peil_old o
     WHERE c.tenant_id = o.tenant_id AND c.survey_id = o.survey_id AND (o.submitted_at, o.id) <= (c.at, c.id);
  ELSE
    DELETE FROM response_rollup_cursors c
     USING peil_old o JOIN peil_new n ON n.tenant_id = o.tenant_id AND n.id = o.id
     WHERE c.tenant_id = o.tenant_id AND c.survey_id IN (o.survey_id, n.survey_id)
       AND ((o.submitted_at, o.id) <= (c.at, c.id) OR (n.submitted_at, n.id) <= (c.at, c.id))
       AND (o.score, o.answers, o.submitted_at, o.survey_id, o.contact_id, o.language)
           IS DISTINCT FROM (n.score, n.answers, n.submitted_at, n.survey_id, n.contact_id, n.language);
  END IF;
  RETURN NULL;
END $$;

-- A contact's fields a breakdown groups by: the surveys its responses behind their cursors count
-- in are counted again. Once per statement; the responses are found by their contact index.
CREATE FUNCTION peil_rollup_forget_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM response_rollup_cursors c
     USING (SELECT DISTINCT r.tenant_id, r.survey_id, r.submitted_at, r.id
              FROM peil_old o JOIN responses r ON r.tenant_id = o.tenant_id AND r.contact_id = o.id) x
     WHERE c.tenant_id = x.tenant_id AND c.survey_id = x.survey_id AND (x.submitted_at, x.id) <= (c.at, c.id);
  ELSE
    DELETE FROM response_rollup_cursors c
     USING (SELECT r.tenant_id, r.survey_id, r.submitted_at, r.id
              FROM peil_old o JOIN peil_new n ON n.tenant_id = o.tenant_id AND n.id = o.id
              JOIN responses r ON r.tenant_id = o.tenant_id AND r.contact_id = o.id
             WHERE (o.gender, o.function, o.profile) IS DISTINCT FROM (n.gender, n.function, n.profile)) x
     WHERE c.tenant_id = x.tenant_id AND c.survey_id = x.survey_id AND (x.submitted_at, x.id) <= (c.at, c.id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER contacts_rollup_update AFTER UPDATE ON contacts REFERENCING OLD TABLE AS peil_old NEW TABLE AS peil_new
  FOR EACH STATEMENT EXECUTE FUNCTION peil_rollup_forget_contacts();
CREATE TRIGGER contacts_rollup_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS peil_old
  FOR EACH STATEMENT EXECUTE FUNCTION peil_rollup_forget_contacts();
