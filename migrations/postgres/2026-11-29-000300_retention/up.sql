-- Retention (PIPL; issue 6): after retention_until a round's raw responses
-- and one-time codes are deleted, and only the aggregate tables remain.
-- Rounds published before this migration keep them a year after closing.
ALTER TABLE rounds ADD COLUMN retention_until TIMESTAMP;
UPDATE rounds SET retention_until = closes_at + INTERVAL '1 year';
ALTER TABLE rounds ALTER COLUMN retention_until SET NOT NULL;
-- When the raw data was deleted (NULL while it is kept).
ALTER TABLE rounds ADD COLUMN purged_at TIMESTAMP;
