-- The paper-slip tables' instants as timestamptz, like every other instant on PostgreSQL
-- (SQLite has no such type, so this migration is PostgreSQL's only).
ALTER TABLE paper_slips ALTER COLUMN printed_at TYPE TIMESTAMPTZ USING printed_at AT TIME ZONE 'UTC';
ALTER TABLE paper_entries ALTER COLUMN entered_at TYPE TIMESTAMPTZ USING entered_at AT TIME ZONE 'UTC';
