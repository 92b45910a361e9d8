-- Back to one counter per (round, school, grade, segment, question, value): the channels'
-- counts are added together.
CREATE TABLE answer_counts_old (
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    grade INTEGER NOT NULL,
    segment TEXT NOT NULL,
    question_id TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (round_id, school_id, grade, segment, question_id, value)
) WITHOUT ROWID;
INSERT INTO answer_counts_old (round_id, school_id, grade, segment, question_id, value, n)
    SELECT round_id, school_id, grade, segment, question_id, value, SUM(n) FROM answer_counts
    GROUP BY round_id, school_id, grade, segment, question_id, value;
DROP TABLE answer_counts;
ALTER TABLE answer_counts_old RENAME TO answer_counts;
