DROP TABLE survey_drafts;
DROP TABLE survey_heads;
