package io.riskgate.market;

import java.time.Instant;

/**
 * A market price for a symbol at an event time, optionally with the high and low of the bar it closes. With a
 * bar, the exit rules see the whole range: a long's stop is hit when the low reaches it, its best price is the
 * high. Without one, high = low = price.
 */
public record Mark(String symbol, double price, double high, double low, Instant timestamp) {

    public Mark {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("symbol must not be blank");
        }
        // symbols are compared as checks store them: upper case
        symbol = symbol.toUpperCase(java.util.Locale.ROOT);
        // to the microsecond, as the databases store it: the exit rules compare a mark's time with a trade's
        // opening and last mark as the stored account_mark rows do (PortfolioStore.MARKED)
        timestamp = timestamp == null ? null : timestamp.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (!(price > 0) || !(low > 0) || !Double.isFinite(high)) {
            throw new IllegalArgumentException("price, high and low must be above 0, were " + price + ", " + high
                    + ", " + low);
        }
        if (low > price || high < price) {
            throw new IllegalArgumentException("a bar's low " + low + " and high " + high + " must enclose its price "
                    + price);
        }
    }

    /** A single price, no bar. */
    public static Mark at(String symbol, double price, Instant timestamp) {
        return new Mark(symbol, price, price, price, timestamp);
    }
}
