DROP TABLE answer_counts;
