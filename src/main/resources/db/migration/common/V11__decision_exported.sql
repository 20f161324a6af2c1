-- Retention (issue 12): decisions exported to a compressed JSON Lines file and removed from the live store leave a
-- tombstone each: their place in the hash chain and its two hashes, so the live chain still verifies across them
-- and the file can be checked against it (`riskgate audit verify-export`).
CREATE TABLE decision_exported (
    chain_seq    BIGINT       PRIMARY KEY,
    id           VARCHAR(36)  NOT NULL,
    prev_hash    VARCHAR(64)  NOT NULL,
    record_hash  VARCHAR(64)  NOT NULL,
    export_file  VARCHAR(255) NOT NULL
);
