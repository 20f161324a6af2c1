-- The portfolio governor: account equity between snapshots, trading state, breakers, emergency instructions and
-- alert events. Account equity = latest snapshot + P&L since it: each live trade is valued from its reference
-- price (its price when the snapshot was taken, or its fill) to its last mark, and closes add what they realized
-- over their reference price.

ALTER TABLE trade ADD COLUMN last_price DOUBLE PRECISION;
ALTER TABLE trade ADD COLUMN ref_price DOUBLE PRECISION;
UPDATE trade SET last_price = entry_price, ref_price = entry_price;

CREATE TABLE governor_state (
    account          VARCHAR(64)              PRIMARY KEY,
    state_json       CLOB                     NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE breaker_event (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    account          VARCHAR(64)              NOT NULL,
    action           VARCHAR(16)              NOT NULL,
    code             VARCHAR(64)              NOT NULL,
    rule_name        VARCHAR(255)             NOT NULL,
    trading_state    VARCHAR(16)              NOT NULL,
    measured         DOUBLE PRECISION,
    limit_value      DOUBLE PRECISION,
    occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    until_at         TIMESTAMP WITH TIME ZONE,
    reason           VARCHAR(2000)            NOT NULL,
    actor            VARCHAR(64)              NOT NULL,
    policy_sha256    VARCHAR(64),
    recorded_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX breaker_event_account ON breaker_event (account, occurred_at);

CREATE TABLE emergency_instruction (
    id               VARCHAR(36)              PRIMARY KEY,
    account          VARCHAR(64)              NOT NULL,
    kind             VARCHAR(16)              NOT NULL,
    trade_ids        CLOB                     NOT NULL,
    fraction         DOUBLE PRECISION,
    code             VARCHAR(64)              NOT NULL,
    rule_name        VARCHAR(255)             NOT NULL,
    reason           VARCHAR(2000)            NOT NULL,
    issued_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    acked_at         TIMESTAMP WITH TIME ZONE,
    ack_note         VARCHAR(500),
    policy_sha256    VARCHAR(64),
    recorded_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX emergency_instruction_account ON emergency_instruction (account, acked_at);

CREATE TABLE governor_event (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    account          VARCHAR(64)              NOT NULL,
    occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    level            VARCHAR(16)              NOT NULL,
    type             VARCHAR(32)              NOT NULL,
    message          VARCHAR(2000)            NOT NULL,
    data_json        CLOB                     NOT NULL,
    recorded_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX governor_event_account ON governor_event (account, occurred_at);
