-- The optional sections of the survey (暑期托管, say) that a round switches on,
-- as their ids separated by commas; rounds published before ask none of them.
ALTER TABLE rounds ADD COLUMN sections TEXT NOT NULL DEFAULT '';
-- The rule its answer counters were made by (domain::tally::VERSION). Rounds
-- counted before rankings stopped counting as demand are 1 until recounted.
ALTER TABLE rounds ADD COLUMN tally_version INTEGER NOT NULL DEFAULT 1;
