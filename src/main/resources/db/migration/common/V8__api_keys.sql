-- API keys (issue 10): only a SHA-256 of each key is stored; the key itself is shown once, at creation.
CREATE TABLE api_key (
    id          VARCHAR(16)              PRIMARY KEY,
    key_hash    VARCHAR(64)              NOT NULL,
    name        VARCHAR(64)              NOT NULL,
    roles       VARCHAR(200)             NOT NULL,
    accounts    VARCHAR(4000)            NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(64)              NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    revoked_by  VARCHAR(64)
);
CREATE UNIQUE INDEX api_key_hash ON api_key (key_hash);
CREATE INDEX api_key_name ON api_key (name);
