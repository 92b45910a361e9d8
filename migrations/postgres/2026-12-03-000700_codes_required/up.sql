-- A round may require the one-time code printed on each letter, so that
-- every child answers once; rounds published before keep their open links.
ALTER TABLE rounds ADD COLUMN codes_required BOOLEAN NOT NULL DEFAULT FALSE;
