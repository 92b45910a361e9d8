-- Double entry of paper reply slips: each of two people types the same batch;
-- their entries wait here until the two agree (or a third person decides),
-- and only then go to responses. The typed fields are kept as JSON pairs.
CREATE TABLE paper_entries (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL,
    school_id BIGINT NOT NULL,
    batch TEXT NOT NULL,
    pass INTEGER NOT NULL,
    serial TEXT NOT NULL,
    fields TEXT NOT NULL,
    entered_by BIGINT NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, school_id, batch, pass, serial),
    FOREIGN KEY (round_id, school_id) REFERENCES round_schools(round_id, school_id) ON DELETE CASCADE
);
