-- Complaints followed through to rectification (整改): a complaint from the standing channel
-- may name a township, a school, or neither, so the school becomes optional and the township
-- is kept beside it; a school answers with a plan and a deadline; every step is kept in
-- complaint_steps.
ALTER TABLE complaints ALTER COLUMN school_id DROP NOT NULL;
ALTER TABLE complaints ADD COLUMN township_id BIGINT REFERENCES townships(id);
ALTER TABLE complaints ADD COLUMN assigned_at TIMESTAMPTZ;
ALTER TABLE complaints ADD COLUMN plan TEXT;
ALTER TABLE complaints ADD COLUMN due_at TIMESTAMPTZ;
UPDATE complaints SET township_id = (SELECT s.township_id FROM schools s WHERE s.id = complaints.school_id);
UPDATE complaints SET status = 'closed' WHERE status = 'handled';
CREATE INDEX complaints_school ON complaints(school_id);
CREATE INDEX complaints_township ON complaints(township_id);

CREATE TABLE complaint_steps (
    id BIGSERIAL PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    at TIMESTAMPTZ NOT NULL,
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
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job, day)
);
