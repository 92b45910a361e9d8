-- Responses still waiting to be counted are not in answer_counts afterwards:
-- run `kehou-survey recount --round R` for any round that was taking answers.
DROP INDEX responses_uncounted;
ALTER TABLE responses DROP COLUMN counted;
