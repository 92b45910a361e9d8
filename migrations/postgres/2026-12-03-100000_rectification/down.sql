-- Complaints that name no school cannot be kept in the old table, which requires one.
DROP TABLE daily_sends;
DROP TABLE complaint_steps;
DROP INDEX complaints_township;
DROP INDEX complaints_school;
DELETE FROM complaints WHERE school_id IS NULL;
UPDATE complaints SET status = CASE status WHEN 'closed' THEN 'handled' ELSE 'new' END;
ALTER TABLE complaints DROP COLUMN due_at;
ALTER TABLE complaints DROP COLUMN plan;
ALTER TABLE complaints DROP COLUMN assigned_at;
ALTER TABLE complaints DROP COLUMN township_id;
ALTER TABLE complaints ALTER COLUMN school_id SET NOT NULL;
