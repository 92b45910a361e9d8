DROP TABLE class_sessions;
