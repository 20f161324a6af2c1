-- Every policy version that was ever in force, by content hash, so an audited decision's policy.sha256 can be
-- turned back into the exact YAML and rule files that decided it; and every reload, activated or refused.

CREATE TABLE policy_version (
    sha256           VARCHAR(64)              PRIMARY KEY,
    policy_id        VARCHAR(64)              NOT NULL,
    version          VARCHAR(64)              NOT NULL,
    source_file      VARCHAR(255)             NOT NULL,
    policy_yaml      CLOB                     NOT NULL,
    rule_files_json  CLOB                     NOT NULL,
    first_loaded_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE policy_activation (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome        VARCHAR(16)              NOT NULL,
    policy_id      VARCHAR(64),
    sha256         VARCHAR(64),
    detail         CLOB
);
CREATE INDEX policy_activation_time ON policy_activation (occurred_at);
