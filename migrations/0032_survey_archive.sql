-- Issue 14: a survey can be archived (hidden from the list, restorable) instead of deleted. A survey
-- with responses cannot be deleted at all (0001's surveys_keep_responses): its answers are removed by
-- the retention the customer set (REG-4), an individual's by an erasure (DSR-2), never by a click that
-- takes everyone's answers along. Archiving keeps everything as it was; the timestamp says since when.
ALTER TABLE surveys ADD COLUMN archived_at timestamptz;
