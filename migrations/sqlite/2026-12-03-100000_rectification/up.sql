-- Complaints followed through to rectification (整改): a complaint from the standing channel
-- may name a township, a school, or neither, so the school becomes optional and the township
-- is kept beside it; a school answers with a plan and a deadline; every step is kept in
-- complaint_steps. SQLite cannot drop a NOT NULL, so the table is rebuilt.
CREATE TABLE complaints_new (
    id INTEGER PRIMARY KEY,
    school_id BIGINT REFERENCES schools(id),
    township_id BIGINT REFERENCES townships(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    contact TEXT,
    office TEXT NOT NULL,
    status TEXT NOT NULL,
    reply TEXT,
    created_at TIMESTAMP NOT NULL,
    handled_at TIMESTAMP,
    handled_by BIGINT REFERENCES users(id),
    assigned_at TIMESTAMP,
    plan TEXT,
    due_at TIMESTAMP
);
INSERT INTO complaints_new (id, school_id, township_id, kind, body, contact, office, status,
                            reply, created_at, handled_at, handled_by)
SELECT c.id, c.school_id, (SELECT s.township_id FROM schools s WHERE s.id = c.school_id),
       c.kind, c.body, c.contact, c.office,
       CASE c.status WHEN 'handled' THEN 'closed' ELSE c.status END,
       c.reply, c.created_at, c.handled_at, c.handled_by
FROM complaints c;
DROP TABLE complaints;
ALTER TABLE complaints_new RENAME TO complaints;
CREATE INDEX complaints_status ON complaints(status, created_at);
CREATE INDEX complaints_school ON complaints(school_id);
CREATE INDEX complaints_township ON complaints(township_id);

CREATE TABLE complaint_steps (
    id INTEGER PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    at TIMESTAMP NOT NULL,
    user_id BIGINT REFERENCES users(id),
    step TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX complaint_steps_complaint ON complaint_steps(complaint_id, id);

-- A daily job (the overdue-rectification mail) is done by whichever instance first records
-- its day here.
CREATE TABLE daily_sends (
    job TEXT NOT NULL,
    day TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (job, day)
);
