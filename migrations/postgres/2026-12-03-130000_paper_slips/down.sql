DROP TABLE paper_slips;
DROP INDEX responses_serial;
ALTER TABLE responses DROP COLUMN serial;
ALTER TABLE responses DROP COLUMN channel;
