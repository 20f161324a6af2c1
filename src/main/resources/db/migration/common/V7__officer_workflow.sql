-- Risk-officer workflow: who activated a policy version and why; which policy each account is assigned to.
ALTER TABLE policy_activation ADD COLUMN actor VARCHAR(64);
ALTER TABLE policy_activation ADD COLUMN reason VARCHAR(500);

CREATE TABLE account_policy (
    account      VARCHAR(64)              PRIMARY KEY,
    policy_id    VARCHAR(64)              NOT NULL,
    assigned_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    actor        VARCHAR(64)              NOT NULL,
    reason       VARCHAR(500)             NOT NULL
);
