-- The answer counters say how their responses came in ('online', or 'paper' when typed in
-- from a reply slip), so that the analysis can show demand by channel: one more key column.
-- SQLite cannot change a primary key in place, so the table is rebuilt.
CREATE TABLE answer_counts_new (
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    grade INTEGER NOT NULL,
    channel TEXT NOT NULL,
    segment TEXT NOT NULL,
    question_id TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (round_id, school_id, grade, channel, segment, question_id, value)
) WITHOUT ROWID;
INSERT INTO answer_counts_new (round_id, school_id, grade, channel, segment, question_id, value, n)
    SELECT round_id, school_id, grade, 'online', segment, question_id, value, n FROM answer_counts;
DROP TABLE answer_counts;
ALTER TABLE answer_counts_new RENAME TO answer_counts;
-- The counters made so far put paper slips with the online answers. A round with a paper
-- response is counted again from its raw responses: its counters go, its responses wait to be
-- counted, and the counting thread counts them after the next start (as after a crash).
DELETE FROM answer_counts
    WHERE round_id IN (SELECT round_id FROM responses WHERE channel = 'paper');
UPDATE responses SET counted = FALSE
    WHERE round_id IN (SELECT round_id FROM responses WHERE channel = 'paper');
