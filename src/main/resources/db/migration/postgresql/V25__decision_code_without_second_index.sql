-- On H2, V25 makes decision_code again without the second index its foreign key had made there. PostgreSQL makes no
-- index for a foreign key, so its decision_code has only the primary key and the index by code: nothing to change.
SELECT 1;
