-- Paper reply slips (回执) for families without a smartphone. A response
-- says how it came in (online, or typed in from a slip) and, from a slip,
-- its printed serial: each serial is stored once, whichever way it is entered.
ALTER TABLE responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'online';
ALTER TABLE responses ADD COLUMN serial TEXT;
CREATE UNIQUE INDEX responses_serial ON responses(serial);

-- Every printed slip, numbered within its school and round; with per-student
-- codes, the code it carries (one slip per code, numbered when first printed).
CREATE TABLE paper_slips (
    round_id BIGINT NOT NULL,
    school_id BIGINT NOT NULL,
    slip_no INTEGER NOT NULL,
    access_code TEXT UNIQUE,
    printed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, school_id, slip_no),
    FOREIGN KEY (round_id, school_id) REFERENCES round_schools(round_id, school_id) ON DELETE CASCADE
);
