ALTER TABLE rounds DROP COLUMN codes_required;
