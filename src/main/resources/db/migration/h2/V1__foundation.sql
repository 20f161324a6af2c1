-- riskgate foundation schema: equity snapshots, audited decisions, reservations, trades.
-- Times are stored as UTC instants; event time (the caller's timestamp) and recording time are kept apart.

CREATE TABLE equity_snapshot (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    account      VARCHAR(64)              NOT NULL,
    equity       DOUBLE PRECISION         NOT NULL,
    observed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    source       VARCHAR(16)              NOT NULL
);
CREATE INDEX equity_snapshot_account ON equity_snapshot (account, observed_at);

CREATE TABLE decision (
    id              VARCHAR(36)              PRIMARY KEY,
    account         VARCHAR(64)              NOT NULL,
    symbol          VARCHAR(64)              NOT NULL,
    side            VARCHAR(8)               NOT NULL,
    strategy        VARCHAR(64),
    outcome         VARCHAR(16)              NOT NULL,
    approved        BOOLEAN                  NOT NULL,
    quantity        DOUBLE PRECISION         NOT NULL,
    notional        DOUBLE PRECISION         NOT NULL,
    entry_price     DOUBLE PRECISION,
    stop_loss       DOUBLE PRECISION,
    take_profit     DOUBLE PRECISION,
    risk_amount     DOUBLE PRECISION,
    policy_id       VARCHAR(64),
    policy_version  VARCHAR(64),
    policy_sha256   VARCHAR(64),
    decided_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    request_json    CLOB                     NOT NULL,
    decision_json   CLOB                     NOT NULL
);
CREATE INDEX decision_account_time ON decision (account, decided_at);
CREATE INDEX decision_time ON decision (decided_at);

-- One row per fired rule, rejection and adjustment, so audits can be searched by rule code.
CREATE TABLE decision_rule (
    decision_id  VARCHAR(36)  NOT NULL REFERENCES decision (id),
    kind         VARCHAR(16)  NOT NULL,
    seq          INT          NOT NULL,
    rule_name    VARCHAR(255) NOT NULL,
    code         VARCHAR(64)  NOT NULL,
    PRIMARY KEY (decision_id, kind, seq)
);
CREATE INDEX decision_rule_code ON decision_rule (code, decision_id);

-- An approved decision holds its exposure and one trade slot until filled or expired.
CREATE TABLE reservation (
    decision_id     VARCHAR(36)              PRIMARY KEY REFERENCES decision (id),
    account         VARCHAR(64)              NOT NULL,
    symbol          VARCHAR(64)              NOT NULL,
    asset           VARCHAR(64)              NOT NULL,
    strategy        VARCHAR(64),
    notional        DOUBLE PRECISION         NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    released_at     TIMESTAMP WITH TIME ZONE,
    release_reason  VARCHAR(16)
);
CREATE INDEX reservation_open ON reservation (account, released_at);

CREATE TABLE trade (
    id            VARCHAR(36)              PRIMARY KEY,
    decision_id   VARCHAR(36)              NOT NULL UNIQUE REFERENCES decision (id),
    account       VARCHAR(64)              NOT NULL,
    symbol        VARCHAR(64)              NOT NULL,
    asset         VARCHAR(64)              NOT NULL,
    strategy      VARCHAR(64),
    side          VARCHAR(8)               NOT NULL,
    quantity      DOUBLE PRECISION         NOT NULL,
    entry_price   DOUBLE PRECISION         NOT NULL,
    stop_loss     DOUBLE PRECISION         NOT NULL,
    take_profit   DOUBLE PRECISION         NOT NULL,
    opened_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    state         VARCHAR(16)              NOT NULL,
    closed_at     TIMESTAMP WITH TIME ZONE,
    exit_price    DOUBLE PRECISION,
    realized_pnl  DOUBLE PRECISION,
    result        VARCHAR(8)
);
CREATE INDEX trade_account_state ON trade (account, state);
