DROP TABLE case_files;
DROP TABLE cases;
