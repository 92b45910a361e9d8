-- Scanned paper reply slips that a person must look at before they count: the answers the
-- scanner read without doubt (JSON pairs), the questions it doubted (JSON, question id to
-- why), and a picture of each doubted question. A row goes once the slip is confirmed (and
-- stored as a response) or set aside.
CREATE TABLE scan_reviews (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL,
    school_id BIGINT NOT NULL,
    serial TEXT NOT NULL,
    source TEXT NOT NULL,
    fields TEXT NOT NULL,
    doubts TEXT NOT NULL,
    created_by BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (round_id, school_id, serial),
    FOREIGN KEY (round_id, school_id) REFERENCES round_schools(round_id, school_id) ON DELETE CASCADE
);

CREATE TABLE scan_crops (
    review_id BIGINT NOT NULL REFERENCES scan_reviews(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    png BYTEA NOT NULL,
    PRIMARY KEY (review_id, question_id)
);
