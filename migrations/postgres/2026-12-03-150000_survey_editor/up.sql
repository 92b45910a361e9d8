-- Surveys written on the web: each survey's current version (a row of survey_versions,
-- so rounds keep pinning exact bytes) and the working draft of its editor page.
CREATE TABLE survey_heads (
    survey_key TEXT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL REFERENCES survey_versions(hash),
    saved_by BIGINT REFERENCES users(id),
    saved_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE survey_drafts (
    survey_key TEXT PRIMARY KEY NOT NULL,
    source TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at TIMESTAMPTZ NOT NULL
);
