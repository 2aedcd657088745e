-- Shielded surveys keep their promises (OBLIGATIONS SVC-4, issue 9).
--
-- This migration may run as a table owner that is not a superuser. FORCE ROW LEVEL SECURITY applies
-- to the owner too, so each table is un-forced for the statements that fix every tenant's rows, and
-- forced again before the end (all in the migration's one transaction).
ALTER TABLE surveys NO FORCE ROW LEVEL SECURITY;
ALTER TABLE invitations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE responses NO FORCE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries NO FORCE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------- minimum group size: at least 3

-- A group of 2 lets either member compute the other's answer from the group's figures. Existing
-- surveys below 3 are raised to 3 (raising is always allowed; it only hides more).
UPDATE surveys SET min_group_size = 3 WHERE min_group_size < 3;
ALTER TABLE surveys DROP CONSTRAINT IF EXISTS surveys_min_group_size_check;
ALTER TABLE surveys ADD CONSTRAINT surveys_min_group_size_check CHECK (min_group_size BETWEEN 3 AND 1000);

-- ---------------------------------------------------------------- anonymous surveys: no answer time

-- The invitation of an anonymous survey kept the day it was answered and opened: a day with one
-- answer linked that response (its submitted_at) to a person. From now on responded_at and opened_at
-- of such an invitation hold the invitation's own created_at, a marker ("answered", "opened") that
-- says nothing about when (reminders, counts and the "already answered" check only ask IS NULL).
-- Rewriting the rows here also gives them all this transaction's id (xmin), none a response's.
UPDATE invitations i
   SET responded_at = CASE WHEN i.responded_at IS NULL THEN NULL ELSE i.created_at END,
       opened_at = CASE WHEN i.opened_at IS NULL THEN NULL ELSE i.created_at END,
       -- An answered invitation's reminder history would place the answer between two reminders:
       -- only "reminded or not" stays (the reminded count).
       reminders_sent = CASE WHEN i.responded_at IS NULL THEN i.reminders_sent ELSE least(i.reminders_sent, 1) END,
       last_reminded_at = CASE WHEN i.responded_at IS NULL OR i.last_reminded_at IS NULL THEN i.last_reminded_at ELSE i.created_at END
  FROM surveys s
 WHERE s.tenant_id = i.tenant_id AND s.id = i.survey_id AND s.anonymity = 'anonymous'
   AND (i.responded_at IS NOT NULL OR i.opened_at IS NOT NULL);

-- ---------------------------------------------------------------- anonymous surveys: no webhook payloads

-- Webhooks no longer carry anonymous responses (their exact time, language and unredacted answers,
-- sent as each one arrived, linked it to the invitation marked answered at that moment). Deliveries
-- already made for them are removed, with their sealed payloads (their attempts go by the foreign key).
DELETE FROM webhook_deliveries d
 USING responses r, surveys s
 WHERE r.tenant_id = d.tenant_id AND r.id = d.event_id
   AND s.tenant_id = r.tenant_id AND s.id = r.survey_id AND s.anonymity = 'anonymous';

ALTER TABLE surveys FORCE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
ALTER TABLE responses FORCE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
