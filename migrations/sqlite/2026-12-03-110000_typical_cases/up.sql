-- Typical cases (典型案例): a school submits one with up to nine images or PDF files, its
-- township recommends it, the bureau selects it for the public page and for the prefecture.
-- The files live under the data folder; the database holds their SHA-256.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    township_id BIGINT NOT NULL REFERENCES townships(id),
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES users(id),
    recommended_at TIMESTAMP,
    selected_at TIMESTAMP
);
CREATE INDEX cases_school ON cases(school_id);
CREATE INDEX cases_status ON cases(status);

CREATE TABLE case_files (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX case_files_case ON case_files(case_id, position);
