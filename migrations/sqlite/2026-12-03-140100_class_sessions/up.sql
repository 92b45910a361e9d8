-- Computer-room sessions (机房模式): a teacher opens one for a class, the devices of the
-- room answer the students' survey through its short code, and it closes after the
-- expected number of answers or at closes_at, whichever comes first. Nothing in it
-- identifies a student: it holds only the class and a count.
CREATE TABLE class_sessions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    school_id BIGINT NOT NULL REFERENCES schools(id),
    grade INTEGER NOT NULL,
    class_no INTEGER NOT NULL,
    expected INTEGER NOT NULL,
    submitted INTEGER NOT NULL DEFAULT 0,
    opened_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    opened_by BIGINT REFERENCES users(id)
);
CREATE INDEX class_sessions_round_school ON class_sessions(round_id, school_id);
