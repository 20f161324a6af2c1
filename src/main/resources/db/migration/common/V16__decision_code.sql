-- The rule codes a decision carries, once each, for searching the audit by code and for the order-rate throttle
-- (which leaves out the checks it refused itself). decision_rule kept a row per fired rule, rejection and
-- adjustment, with the rule's name: about 8 rows a decision under the shipped policy where 4 codes are distinct,
-- and nothing read the names or kinds back (they are in decision_json). Halving the rows halves the index work
-- every audited check does.
CREATE TABLE decision_code (
    decision_id  VARCHAR(36)  NOT NULL REFERENCES decision (id),
    code         VARCHAR(64)  NOT NULL,
    PRIMARY KEY (decision_id, code)
);
CREATE INDEX decision_code_code ON decision_code (code, decision_id);

INSERT INTO decision_code (decision_id, code) SELECT DISTINCT decision_id, code FROM decision_rule;

DROP TABLE decision_rule;
