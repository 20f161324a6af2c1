-- The approvals the market-access controls count (issue 13): the duplicate-order control, the daily risk budgets and
-- the firm's daily risk read an account's approvals at the account's clock when each was approved (approved_at),
-- not at the order's own event time, which a caller may set a little back; a reduce-only approval holds the position
-- quantity it reduces until expires_at (or until closes carry it out). Written in the unit of its decision.
CREATE TABLE approval (
    decision_id   VARCHAR(36)              PRIMARY KEY,
    account       VARCHAR(64)              NOT NULL,
    approved_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    symbol        VARCHAR(64)              NOT NULL,
    side          VARCHAR(8)               NOT NULL,
    strategy      VARCHAR(64),
    quantity      DOUBLE PRECISION         NOT NULL,
    risk_at_stop  DOUBLE PRECISION         NOT NULL,
    reduce_only   BOOLEAN                  NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX approval_account_time ON approval (account, approved_at);

-- the approvals decided before this table, at their event time (the best there is)
INSERT INTO approval (decision_id, account, approved_at, symbol, side, strategy, quantity, risk_at_stop, reduce_only)
SELECT id, account, decided_at, symbol, side, strategy, quantity, quantity * ABS(entry_price - stop_loss), FALSE
FROM decision WHERE approved AND stop_loss IS NOT NULL;

-- a stop-out locks entries from the account's clock when it was reported (controls.cooldown, stoploss_guard), not
-- from the close time a caller may set back to the trade's open
ALTER TABLE trade ADD COLUMN stopped_out_at TIMESTAMP WITH TIME ZONE;
UPDATE trade SET stopped_out_at = closed_at WHERE state = 'CLOSED_SL';
