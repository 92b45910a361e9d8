-- Running answer counters, kept by the group-commit writer in the same
-- transaction as the responses they count (src/db/counts.rs), so the demand
-- analysis reads counts instead of every response. One row per
-- (round, school, grade, segment, question, value):
--   grade    0 when the response gave no grade;
--   segment  the response's answer to the survey's segmenting question (the
--            'need' question of a needs survey), '' if the survey has none;
--   question '#' for the response total, '@category' for the taxonomy
--            categories a response chose in any question, else a question id;
--   value    '' = the question was answered; an option id; 'option#rank' for
--            a ranking; the number for a scale or number question.
-- Free text is never counted.
CREATE TABLE answer_counts (
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    grade INTEGER NOT NULL,
    segment TEXT NOT NULL,
    question_id TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (round_id, school_id, grade, segment, question_id, value)
);
