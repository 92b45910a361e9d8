-- Retention (PIPL; issue 6): after retention_until a round's raw responses
-- and one-time codes are deleted, and only the aggregate tables remain.
-- Rounds published before this migration keep them a year after closing.
-- SQLite cannot add a NOT NULL column without a default; the app always
-- sets it (db::rounds::create).
ALTER TABLE rounds ADD COLUMN retention_until TIMESTAMP;
UPDATE rounds SET retention_until = strftime('%Y-%m-%d %H:%M:%f', closes_at, '+1 year');
-- When the raw data was deleted (NULL while it is kept).
ALTER TABLE rounds ADD COLUMN purged_at TIMESTAMP;
