-- Issue 12's disk bound. decision_code's foreign key to decision made H2 keep an index of its own on decision_id
-- (CONSTRAINT_INDEX_..), beside the primary key (decision_id, code), which already leads with that column: H2 does
-- not use a composite index for a foreign key. That second index took about four entries a decision (one a code).
-- The table is made again without the foreign key; its rows are written only with their decision, in the same unit
-- (AuditStore.insert), and removed before it (AuditExport). PostgreSQL makes no index for a foreign key: its
-- V25 changes nothing.
CREATE TABLE decision_code_v25 (
    decision_id  VARCHAR(36)  NOT NULL,
    code         VARCHAR(64)  NOT NULL,
    PRIMARY KEY (decision_id, code)
);
INSERT INTO decision_code_v25 (decision_id, code) SELECT decision_id, code FROM decision_code;
DROP TABLE decision_code;
ALTER TABLE decision_code_v25 RENAME TO decision_code;
CREATE INDEX decision_code_code ON decision_code (code, decision_id);
