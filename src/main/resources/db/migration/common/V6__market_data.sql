-- Market data: OHLCV bars per symbol and interval, posted in batches. A bar posted again for the same open time
-- replaces the stored one (a corrected bar), so ingest is idempotent.
CREATE TABLE market_bar (
    symbol       VARCHAR(64)              NOT NULL,
    bar_interval VARCHAR(8)               NOT NULL,
    open_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    open_price   DOUBLE PRECISION         NOT NULL,
    high_price   DOUBLE PRECISION         NOT NULL,
    low_price    DOUBLE PRECISION         NOT NULL,
    close_price  DOUBLE PRECISION         NOT NULL,
    volume       DOUBLE PRECISION         NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (symbol, bar_interval, open_time)
);
