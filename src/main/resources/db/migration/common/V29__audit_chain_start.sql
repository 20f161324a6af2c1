-- Tamper evidence: how many decisions were outside the hash chain when this migration ran (only those recorded
-- before V9 can be). Every decision riskgate records since has a place in the chain, so `riskgate audit verify`
-- names any decision outside it beyond this count: a row inserted with SQL, not by riskgate.
CREATE TABLE audit_chain_start (
    id INT PRIMARY KEY CHECK (id = 1),
    unchained BIGINT NOT NULL
);
INSERT INTO audit_chain_start (id, unchained) SELECT 1, COUNT(*) FROM decision WHERE chain_seq IS NULL;
