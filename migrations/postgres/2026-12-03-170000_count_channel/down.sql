-- Back to one counter per (round, school, grade, segment, question, value): the channels'
-- counts are added together.
CREATE TEMPORARY TABLE answer_counts_merged AS
    SELECT round_id, school_id, grade, segment, question_id, value, SUM(n)::BIGINT AS n
    FROM answer_counts
    GROUP BY round_id, school_id, grade, segment, question_id, value;
DELETE FROM answer_counts;
ALTER TABLE answer_counts DROP CONSTRAINT answer_counts_pkey;
ALTER TABLE answer_counts DROP COLUMN channel;
ALTER TABLE answer_counts
    ADD PRIMARY KEY (round_id, school_id, grade, segment, question_id, value);
INSERT INTO answer_counts (round_id, school_id, grade, segment, question_id, value, n)
    SELECT round_id, school_id, grade, segment, question_id, value, n FROM answer_counts_merged;
DROP TABLE answer_counts_merged;
