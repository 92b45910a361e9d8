-- Responses are counted into answer_counts shortly after they commit, by the
-- counting thread (src/db/counting.rs), no longer inside the group commit:
-- the counters' page writes then come once per thousands of responses instead
-- of once per batch. `counted` says whether a response is in the counters;
-- marking it and adding its counts happen in one transaction.
ALTER TABLE responses ADD COLUMN counted BOOLEAN NOT NULL DEFAULT FALSE;
-- Every response stored so far was counted in its batch's transaction.
UPDATE responses SET counted = TRUE;
-- Only the few responses waiting to be counted are in this index.
CREATE INDEX responses_uncounted ON responses (id) WHERE NOT counted;
