-- The firm's kill switches (issue 13, FIA guidance): an officer halts every account's new orders (scope ALL) or one
-- strategy's on every account (scope STRATEGY:<name>) until one resets it. kill_switch holds the switches in force,
-- so they survive a restart; kill_switch_event logs every TRIP and RESET with who, when and why.
CREATE TABLE kill_switch (
    scope        VARCHAR(80)              PRIMARY KEY,
    tripped_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    actor        VARCHAR(64)              NOT NULL,
    reason       VARCHAR(500)             NOT NULL
);

CREATE TABLE kill_switch_event (
    id           BIGINT                   PRIMARY KEY,
    scope        VARCHAR(80)              NOT NULL,
    action       VARCHAR(8)               NOT NULL,
    actor        VARCHAR(64)              NOT NULL,
    reason       VARCHAR(500)             NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX kill_switch_event_time ON kill_switch_event (occurred_at);
