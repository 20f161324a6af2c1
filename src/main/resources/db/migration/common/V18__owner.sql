-- The process that writes a PostgreSQL database (DatabaseClaim): it holds an advisory lock while it runs, and every
-- batch it commits first checks that this row still carries its token. A process that lost its lock (its session
-- was cut) and was succeeded by another cannot commit one more batch: the successor wrote its own token before its
-- first write. Unused on H2, which one process opens at a time (its file lock).
CREATE TABLE riskgate_owner (
    id          INT                      PRIMARY KEY,
    token       VARCHAR(36)              NOT NULL,
    claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
