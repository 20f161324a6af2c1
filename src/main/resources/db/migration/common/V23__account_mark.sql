-- Issue 12's quiet mark: a mark no longer rewrites every live trade it prices. Per account and symbol, the latest mark
-- the account's live trades were priced at (in the order of the account's own event clock), and a sequence moved on
-- by one at each such mark; each trade keeps the sequence it was last written at (mark_seq). A live trade whose
-- mark_seq is below its account's row, opened by the row's time and not marked later on its own, was priced by that
-- mark: its last price and last mark time are the row's (PortfolioStore.MARKED). A mark writes the trades whose stop,
-- state or progress it changed, and those it could not evaluate, with their own values and the new sequence.
CREATE TABLE account_mark (
    account    VARCHAR(64)              NOT NULL,
    symbol     VARCHAR(64)              NOT NULL,
    seq        BIGINT                   NOT NULL,
    price      DOUBLE PRECISION         NOT NULL,
    marked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account, symbol)
);

-- trades stored before this migration kept their own last price and mark time: sequence 0, below any row's
ALTER TABLE trade ADD COLUMN mark_seq BIGINT DEFAULT 0 NOT NULL;
