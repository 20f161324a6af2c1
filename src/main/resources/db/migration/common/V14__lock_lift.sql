-- Locks on new entries (issue 13: controls.cooldown, controls.stoploss_guard) are worked out from the stop-outs'
-- event times and never stored; what is stored is an officer's lift of one, with who, when and why. A lift covers
-- the lock it names (code, symbol or none for the whole account, and its end) and every earlier one like it.
CREATE TABLE lock_lift (
    id           BIGINT                   PRIMARY KEY,
    account      VARCHAR(64)              NOT NULL,
    code         VARCHAR(32)              NOT NULL,
    symbol       VARCHAR(64),
    lock_until   TIMESTAMP WITH TIME ZONE NOT NULL,
    actor        VARCHAR(64)              NOT NULL,
    reason       VARCHAR(500)             NOT NULL,
    lifted_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX lock_lift_account ON lock_lift (account, id);
