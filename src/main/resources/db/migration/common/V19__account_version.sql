-- Several riskgate processes on one PostgreSQL database (AccountVersions, docs/architecture.md "Several instances"):
-- each account's version, moved on by one in the transaction of every write to its state, only from the version the
-- writing process's book was read at. Unused on H2, which one process opens at a time.
CREATE TABLE account_version (
    account  VARCHAR(64) PRIMARY KEY,
    version  BIGINT      NOT NULL
);

-- One process per PostgreSQL database (riskgate_owner's fence token) gave way to account versions: no longer used.
DROP TABLE riskgate_owner;
