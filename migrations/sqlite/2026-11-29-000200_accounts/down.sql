DROP TABLE complaints;
DROP TABLE audit_log;
DROP TABLE rate_events;
DROP TABLE account_tokens;
DROP TABLE sessions;
DROP TABLE users;
