-- Tamper evidence (issue 12): every decision recorded from now on carries its place in one chain (chain_seq,
-- 1, 2, 3, ... in commit order), the hash of the record before it (prev_hash) and the SHA-256 of its own stored
-- content and prev_hash (record_hash). Decisions recorded before this migration have none and are reported as
-- outside the chain by `riskgate audit verify`.
ALTER TABLE decision ADD COLUMN chain_seq BIGINT;
ALTER TABLE decision ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE decision ADD COLUMN record_hash VARCHAR(64);
CREATE UNIQUE INDEX decision_chain_seq ON decision (chain_seq);
