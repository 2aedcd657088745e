-- Issue 17: label counts kept by the database instead of counted per view. The results page shows, per
-- open question, how many answers have each label and sentiment (features/labelling/results.ts); it
-- counted response_labelling and response_labels on every view (1M labelled answers: a scan of both).
-- Now label_counts holds those counts per UTC day, and the triggers below keep them in the statement
-- that changes a label or a sentiment (the labelling job, a correction, a relabel after the survey's set
-- changed, an erasure's cascade, a restore's inserts). A view adds up the survey's rows; a release of
-- a confidential or anonymous survey (results/release.ts) adds up the days before its cutoff's day and
-- counts that one day from the rows. labelling/label-counts.test.ts compares them with a full count.
--
-- Labels follow their answer's sentiment: response_labels carries it (and the answer's time), copied
-- when a label is added and moved when the answer's sentiment changes, so each table's trigger counts
-- its own rows. (A cascade from an erased response deletes the labelling row and its labels in an
-- order of the database's choosing; a label's trigger cannot look up a sentiment that is already gone.)

ALTER TABLE response_labelling NO FORCE ROW LEVEL SECURITY;
ALTER TABLE response_labels NO FORCE ROW LEVEL SECURITY;

ALTER TABLE response_labels ADD COLUMN sentiment text CHECK (sentiment IN ('positive', 'negative', 'neutral', 'mixed'));
-- Null only for a label without its labelling row, which the foreign key refuses anyway.
ALTER TABLE response_labels ADD COLUMN submitted_at timestamptz;
UPDATE response_labels rl
   SET sentiment = l.sentiment, submitted_at = l.submitted_at
  FROM response_labelling l
 WHERE l.tenant_id = rl.tenant_id AND l.response_id = rl.response_id AND l.question_id = rl.question_id;

-- The counts were what these indexes served; now a release's last day is counted from them.
DROP INDEX response_labelling_survey;
CREATE INDEX response_labelling_survey ON response_labelling (tenant_id, survey_id, question_id, submitted_at);
DROP INDEX response_labels_survey_label;
CREATE INDEX response_labels_survey_day ON response_labels (tenant_id, survey_id, question_id, submitted_at);

-- Counts only: no response id, no text. label_id '' is every labelled answer (the sentiment totals);
-- sentiment '' is an answer without one. day: the UTC day of the answer's submitted_at, and each count
-- once more under 1970-01-01 for the whole survey (as response_rollups, 0036), so that a view of every
-- answer reads a few rows, not one per day.
CREATE TABLE label_counts (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  survey_id   uuid NOT NULL,
  question_id text NOT NULL,
  label_set   text NOT NULL,
  label_id    text NOT NULL,
  sentiment   text NOT NULL,
  day         date NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day),
  FOREIGN KEY (tenant_id, survey_id) REFERENCES surveys (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE label_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE label_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON label_counts USING (tenant_id = (SELECT peil_current_tenant()))
  WITH CHECK (tenant_id = (SELECT peil_current_tenant()));

INSERT INTO label_counts (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
SELECT tenant_id, survey_id, question_id, label_set, '', coalesce(sentiment, ''), d.day, count(*)
  FROM response_labelling CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day) WHERE has_text AND label_set IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO label_counts (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
SELECT tenant_id, survey_id, question_id, label_set, label_id, coalesce(sentiment, ''), d.day, count(*)
  FROM response_labels CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day) WHERE submitted_at IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- A label takes its answer's sentiment and time.
CREATE FUNCTION peil_label_of_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT l.sentiment, l.submitted_at INTO NEW.sentiment, NEW.submitted_at
    FROM response_labelling l
   WHERE l.tenant_id = NEW.tenant_id AND l.response_id = NEW.response_id AND l.question_id = NEW.question_id;
  RETURN NEW;
END $$;
CREATE TRIGGER response_labels_of_answer BEFORE INSERT ON response_labels
  FOR EACH ROW EXECUTE FUNCTION peil_label_of_answer();

-- Once per statement, over its rows (transition tables): + for rows that came, - for rows that went, in
-- key order (two statements never wait on each other's rows crosswise).
CREATE FUNCTION peil_count_labelling() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO label_counts AS c (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
    SELECT tenant_id, survey_id, question_id, label_set, '', coalesce(sentiment, ''), d.day, count(*)
      FROM peil_new CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day) WHERE has_text AND label_set IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO label_counts AS c (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
    SELECT tenant_id, survey_id, question_id, label_set, '', coalesce(sentiment, ''), d.day, -count(*)
      FROM peil_old CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day) WHERE has_text AND label_set IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    -- The labels follow their answer's sentiment (their own trigger moves their counts).
    UPDATE response_labels rl SET sentiment = n.sentiment
      FROM peil_new n
     WHERE rl.tenant_id = n.tenant_id AND rl.response_id = n.response_id AND rl.question_id = n.question_id
       AND rl.sentiment IS DISTINCT FROM n.sentiment;
    INSERT INTO label_counts AS c (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
    SELECT tenant_id, survey_id, question_id, label_set, '', coalesce(sentiment, ''), d.day, sum(x.d)
      FROM (SELECT tenant_id, survey_id, question_id, label_set, sentiment, submitted_at, 1 AS d
              FROM peil_new WHERE has_text AND label_set IS NOT NULL
            UNION ALL
            SELECT tenant_id, survey_id, question_id, label_set, sentiment, submitted_at, -1
              FROM peil_old WHERE has_text AND label_set IS NOT NULL) x CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day)
     GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(x.d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION peil_count_labels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO label_counts AS c (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
    SELECT tenant_id, survey_id, question_id, label_set, label_id, coalesce(sentiment, ''), d.day, count(*)
      FROM peil_new CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day) WHERE submitted_at IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO label_counts AS c (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
    SELECT tenant_id, survey_id, question_id, label_set, label_id, coalesce(sentiment, ''), d.day, -count(*)
      FROM peil_old CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day) WHERE submitted_at IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO label_counts AS c (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day, n)
    SELECT tenant_id, survey_id, question_id, label_set, label_id, coalesce(sentiment, ''), d.day, sum(x.d)
      FROM (SELECT tenant_id, survey_id, question_id, label_set, label_id, sentiment, submitted_at, 1 AS d
              FROM peil_new WHERE submitted_at IS NOT NULL
            UNION ALL
            SELECT tenant_id, survey_id, question_id, label_set, label_id, sentiment, submitted_at, -1
              FROM peil_old WHERE submitted_at IS NOT NULL) x CROSS JOIN LATERAL (VALUES ((submitted_at AT TIME ZONE 'UTC')::date), (date '1970-01-01')) AS d(day)
     GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(x.d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (tenant_id, survey_id, question_id, label_set, label_id, sentiment, day) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER response_labelling_count_insert AFTER INSERT ON response_labelling REFERENCING NEW TABLE AS peil_new
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_labelling();
CREATE TRIGGER response_labelling_count_delete AFTER DELETE ON response_labelling REFERENCING OLD TABLE AS peil_old
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_labelling();
CREATE TRIGGER response_labelling_count_update AFTER UPDATE ON response_labelling
  REFERENCING OLD TABLE AS peil_old NEW TABLE AS peil_new
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_labelling();
CREATE TRIGGER response_labels_count_insert AFTER INSERT ON response_labels REFERENCING NEW TABLE AS peil_new
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_labels();
CREATE TRIGGER response_labels_count_delete AFTER DELETE ON response_labels REFERENCING OLD TABLE AS peil_old
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_labels();
CREATE TRIGGER response_labels_count_update AFTER UPDATE ON response_labels
  REFERENCING OLD TABLE AS peil_old NEW TABLE AS peil_new
  FOR EACH STATEMENT EXECUTE FUNCTION peil_count_labels();

ALTER TABLE response_labelling FORCE ROW LEVEL SECURITY;
ALTER TABLE response_labels FORCE ROW LEVEL SECURITY;
