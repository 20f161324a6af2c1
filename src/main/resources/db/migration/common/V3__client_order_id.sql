-- Idempotent checks: a caller's own order id, unique per account, so a retried check returns the first decision
-- instead of taking a second slot.
ALTER TABLE decision ADD COLUMN client_order_id VARCHAR(64);
CREATE UNIQUE INDEX decision_client_order ON decision (account, client_order_id);
