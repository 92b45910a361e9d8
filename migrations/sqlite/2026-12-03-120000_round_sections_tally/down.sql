ALTER TABLE rounds DROP COLUMN tally_version;
ALTER TABLE rounds DROP COLUMN sections;
