DROP INDEX rounds_companion_of;
ALTER TABLE rounds DROP COLUMN companion_of;
