DROP TABLE school_supplements;
ALTER TABLE rounds DROP COLUMN supplement_max;
