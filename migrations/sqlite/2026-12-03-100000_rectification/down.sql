-- Complaints that name no school cannot be kept in the old table, which requires one.
DROP TABLE daily_sends;
DROP TABLE complaint_steps;
CREATE TABLE complaints_old (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    contact TEXT,
    office TEXT NOT NULL,
    status TEXT NOT NULL,
    reply TEXT,
    created_at TIMESTAMP NOT NULL,
    handled_at TIMESTAMP,
    handled_by BIGINT REFERENCES users(id)
);
INSERT INTO complaints_old (id, school_id, kind, body, contact, office, status, reply,
                            created_at, handled_at, handled_by)
SELECT id, school_id, kind, body, contact, office,
       CASE status WHEN 'closed' THEN 'handled' ELSE 'new' END,
       reply, created_at, handled_at, handled_by
FROM complaints WHERE school_id IS NOT NULL;
DROP TABLE complaints;
ALTER TABLE complaints_old RENAME TO complaints;
CREATE INDEX complaints_status ON complaints(status, created_at);
