-- School plans (一校一案): every import or edit appends a revision; nothing is
-- overwritten, so each term's plan history stays readable.
CREATE TABLE plan_revisions (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    term TEXT NOT NULL,
    extra_n INTEGER NOT NULL,
    days_per_week INTEGER NOT NULL,
    minutes_per_day INTEGER NOT NULL,
    resources TEXT NOT NULL,
    teachers INTEGER NOT NULL,
    outside_staff INTEGER NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_revisions_school_term ON plan_revisions(school_id, term);

CREATE TABLE plan_activities (
    revision_id BIGINT NOT NULL REFERENCES plan_revisions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    weekly_sessions INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    fee_yuan INTEGER NOT NULL,
    PRIMARY KEY (revision_id, position)
);
