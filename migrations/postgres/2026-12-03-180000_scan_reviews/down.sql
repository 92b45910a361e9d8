DROP TABLE scan_crops;
DROP TABLE scan_reviews;
