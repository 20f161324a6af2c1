package io.riskgate.market;

import io.riskgate.base.Checks;
import java.time.Instant;

/**
 * One OHLCV bar of a symbol at an interval (1m, 5m, 15m, 1h, 4h, 1d, 1w), identified by its open time. A bar
 * posted again for the same open time replaces the stored one.
 */
public record MarketBar(String symbol, String interval, Instant openTime, double open, double high, double low,
                        double close, double volume) {

    public MarketBar {
        Checks.notBlank("symbol", symbol);
        Checks.notBlank("interval", interval);
        Checks.positive("open", open);
        Checks.positive("close", close);
        Checks.positive("low", low);
        if (high < Math.max(open, close) || low > Math.min(open, close)) {
            throw new IllegalArgumentException("high " + high + " and low " + low + " must enclose open " + open
                    + " and close " + close);
        }
        if (!(volume >= 0)) {
            throw new IllegalArgumentException("volume must be >= 0, was " + volume);
        }
    }
}
