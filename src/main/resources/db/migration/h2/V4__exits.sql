-- Trade lifecycle and exit policies: a trade keeps its initial stop (1R), the stop in force, its own best and worst
-- price since entry, the exit stages passed and what is still open after partial closes. Every exit instruction
-- the engine issues is audited with the rules that fired and the policy version; every close is a row.

ALTER TABLE trade ADD COLUMN open_quantity DOUBLE PRECISION;
UPDATE trade SET open_quantity = CASE WHEN state = 'OPEN' THEN quantity ELSE 0 END;
ALTER TABLE trade ALTER COLUMN open_quantity SET NOT NULL;
ALTER TABLE trade ADD COLUMN initial_stop DOUBLE PRECISION;
UPDATE trade SET initial_stop = stop_loss;
ALTER TABLE trade ALTER COLUMN initial_stop SET NOT NULL;
ALTER TABLE trade ADD COLUMN atr DOUBLE PRECISION;
ALTER TABLE trade ADD COLUMN best_price DOUBLE PRECISION;
ALTER TABLE trade ADD COLUMN worst_price DOUBLE PRECISION;
UPDATE trade SET best_price = entry_price, worst_price = entry_price;
ALTER TABLE trade ALTER COLUMN best_price SET NOT NULL;
ALTER TABLE trade ALTER COLUMN worst_price SET NOT NULL;
ALTER TABLE trade ADD COLUMN last_mark_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE trade ADD COLUMN breakeven_done BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE trade ADD COLUMN partial_done BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE trade ADD COLUMN trailing_active BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE trade ADD COLUMN pending_exit VARCHAR(16);
-- the foundation's single CLOSED state was a close the caller reported on its own
UPDATE trade SET state = 'CLOSED_MANUAL' WHERE state = 'CLOSED';
CREATE INDEX trade_symbol_state ON trade (symbol, state);

CREATE TABLE exit_instruction (
    id              VARCHAR(36)              PRIMARY KEY,
    seq             BIGINT AUTO_INCREMENT    NOT NULL UNIQUE,
    trade_id        VARCHAR(36)              NOT NULL REFERENCES trade (id),
    account         VARCHAR(64)              NOT NULL,
    symbol          VARCHAR(64)              NOT NULL,
    action          VARCHAR(16)              NOT NULL,
    quantity        DOUBLE PRECISION         NOT NULL,
    stop_loss       DOUBLE PRECISION         NOT NULL,
    price           DOUBLE PRECISION,
    reason          VARCHAR(2000)            NOT NULL,
    rule_name       VARCHAR(255)             NOT NULL,
    code            VARCHAR(64)              NOT NULL,
    state_before    VARCHAR(16)              NOT NULL,
    state_after     VARCHAR(16)              NOT NULL,
    issued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    policy_id       VARCHAR(64),
    policy_version  VARCHAR(64),
    policy_sha256   VARCHAR(64),
    mark_json       CLOB                     NOT NULL,
    fired_json      CLOB                     NOT NULL
);
CREATE INDEX exit_instruction_trade ON exit_instruction (trade_id, issued_at);
CREATE INDEX exit_instruction_code ON exit_instruction (code, issued_at);

CREATE TABLE trade_close (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    trade_id        VARCHAR(36)              NOT NULL REFERENCES trade (id),
    closed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    quantity        DOUBLE PRECISION         NOT NULL,
    price           DOUBLE PRECISION         NOT NULL,
    pnl             DOUBLE PRECISION         NOT NULL,
    open_after      DOUBLE PRECISION         NOT NULL,
    state_after     VARCHAR(16)              NOT NULL,
    reason          VARCHAR(500)
);
CREATE INDEX trade_close_trade ON trade_close (trade_id, closed_at);
