ALTER TABLE rounds DROP COLUMN purged_at;
ALTER TABLE rounds DROP COLUMN retention_until;
