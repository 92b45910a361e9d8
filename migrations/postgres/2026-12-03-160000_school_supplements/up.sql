-- Each school may add a few questions of its own after the city's core survey. The round
-- says how many; a school's supplement is kept as its questions (JSON, for the edit page) and
-- as the survey version its parents answer: the core source with the questions appended.
ALTER TABLE rounds ADD COLUMN supplement_max INTEGER NOT NULL DEFAULT 3;
CREATE TABLE school_supplements (
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    school_id BIGINT NOT NULL REFERENCES schools (id),
    questions TEXT NOT NULL,
    derived_hash TEXT NOT NULL REFERENCES survey_versions (hash),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (round_id, school_id)
);
