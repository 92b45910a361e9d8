-- Core tables: townships, schools, survey versions, rounds, publication links,
-- one-time codes and responses. PostgreSQL flavour; sqlite/ has the same shape.
CREATE TABLE townships (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE schools (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    township_id BIGINT NOT NULL REFERENCES townships(id),
    level TEXT NOT NULL,
    urban_rural_code INTEGER NOT NULL,
    contact_email TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE school_enrolments (
    school_id BIGINT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    grade INTEGER NOT NULL,
    students INTEGER NOT NULL,
    PRIMARY KEY (school_id, grade)
);

CREATE TABLE survey_versions (
    hash TEXT PRIMARY KEY NOT NULL,
    survey_key TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE rounds (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    survey_hash TEXT NOT NULL REFERENCES survey_versions(hash),
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE round_schools (
    round_id BIGINT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    slug TEXT NOT NULL UNIQUE,
    PRIMARY KEY (round_id, school_id)
);

CREATE TABLE access_codes (
    code TEXT PRIMARY KEY NOT NULL,
    round_id BIGINT NOT NULL,
    school_id BIGINT NOT NULL,
    grade INTEGER,
    class_no INTEGER,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    FOREIGN KEY (round_id, school_id) REFERENCES round_schools(round_id, school_id) ON DELETE CASCADE
);
CREATE INDEX access_codes_round_school ON access_codes(round_id, school_id);

CREATE TABLE responses (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL,
    school_id BIGINT NOT NULL,
    survey_hash TEXT NOT NULL REFERENCES survey_versions(hash),
    grade INTEGER,
    class_no INTEGER,
    answers TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    access_code TEXT UNIQUE REFERENCES access_codes(code),
    submitted_at TIMESTAMP NOT NULL,
    FOREIGN KEY (round_id, school_id) REFERENCES round_schools(round_id, school_id)
);
CREATE INDEX responses_round_school ON responses(round_id, school_id);

-- One-time links that let the first bureau administrator set up an account.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
