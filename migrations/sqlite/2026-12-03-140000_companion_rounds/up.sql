-- A round may carry a second survey for another group of respondents (students
-- alongside parents): it is published as its own round, with its own links and
-- counters, and points at the round it goes with.
ALTER TABLE rounds ADD COLUMN companion_of BIGINT;
CREATE INDEX rounds_companion_of ON rounds (companion_of);
