-- Several riskgate processes on one PostgreSQL database share the firm limits (controls.firm; FirmShares): each
-- account's share (gross exposure: open positions and reservations; the risk at the stop of its governor day's
-- approvals), claimed under a transaction lock by every approval under a firm limit and kept up to date after every
-- use of the account. Unused on H2, where one process's firm ledger is the firm.
CREATE TABLE firm_share (
    account         VARCHAR(64)      PRIMARY KEY,
    gross_exposure  DOUBLE PRECISION NOT NULL,
    daily_risk      DOUBLE PRECISION NOT NULL
);
