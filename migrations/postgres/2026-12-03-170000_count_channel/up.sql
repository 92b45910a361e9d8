-- The answer counters say how their responses came in ('online', or 'paper' when typed in
-- from a reply slip), so that the analysis can show demand by channel: one more key column.
ALTER TABLE answer_counts ADD COLUMN channel TEXT NOT NULL DEFAULT 'online';
ALTER TABLE answer_counts ALTER COLUMN channel DROP DEFAULT;
ALTER TABLE answer_counts DROP CONSTRAINT answer_counts_pkey;
ALTER TABLE answer_counts
    ADD PRIMARY KEY (round_id, school_id, grade, channel, segment, question_id, value);
-- The counters made so far put paper slips with the online answers. A round with a paper
-- response is counted again from its raw responses: its counters go, its responses wait to be
-- counted, and the counting thread counts them after the next start (as after a crash).
DELETE FROM answer_counts
    WHERE round_id IN (SELECT round_id FROM responses WHERE channel = 'paper');
UPDATE responses SET counted = FALSE
    WHERE round_id IN (SELECT round_id FROM responses WHERE channel = 'paper');
