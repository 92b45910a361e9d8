DROP TABLE plan_activities;
DROP TABLE plan_revisions;
