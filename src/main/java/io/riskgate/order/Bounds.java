package io.riskgate.order;

/**
 * The largest magnitudes riskgate accepts from a client, in one place. Every price, quantity, equity, volume and
 * spread read from a request is checked against these; a value past its bound is refused with a 400 naming the
 * field ("must be at most 1000000000, was 1.0E308"), so nothing downstream ever computes with an absurd number, and
 * every price level a check derives stays finite: the largest take-profit is 1e9 + 1,000 (the largest
 * {@code take_profit_atr_multiple}) × 1e9 = 1.000001e12.
 *
 * <p>Why these numbers:
 * <ul>
 *   <li>{@link #MAX_PRICE} 1e9 per unit of the quote currency: four orders of magnitude above the dearest
 *       instruments traded in USD or USDT (BTC about 1e5, BRK.A about 7e5), while a double still carries six
 *       decimals at that size. Quotes in currencies with tiny units (BTC in VND is about 2.5e9) are beyond it:
 *       raise the bound, in this class only, before trading such pairs.</li>
 *   <li>{@link #MAX_QUANTITY} 1e12 units: a trillion of the cheapest tokens (SHIB at 1e-5 USD makes it 1e7 USD).</li>
 *   <li>{@link #MAX_EQUITY} 1e13 quote units: ten trillion, above the assets of the largest fund.</li>
 *   <li>{@link #MAX_VOLUME} 1e15: a day's volume in base units of the most traded low-priced tokens is about 1e13.</li>
 *   <li>{@link #MAX_SPREAD_BPS} 10,000 bps: a spread as wide as the price itself.</li>
 * </ul>
 */
public final class Bounds {

    public static final double MAX_PRICE = 1e9;
    public static final double MAX_QUANTITY = 1e12;
    public static final double MAX_EQUITY = 1e13;
    public static final double MAX_VOLUME = 1e15;
    public static final double MAX_SPREAD_BPS = 10_000;

    /** Prices: market price, entry, stop-loss, take-profit, ATR, EMA, fill and close prices, marks, bar OHLC. */
    public static final Range PRICE = Range.above(0, MAX_PRICE);
    /** Quantities of fills and closes. */
    public static final Range QUANTITY = Range.above(0, MAX_QUANTITY);
    /** The equity a check sends: above 0 (a check sizes from it). */
    public static final Range EQUITY = Range.above(0, MAX_EQUITY);
    /** An equity report: 0 allowed (an account wiped out reports 0). */
    public static final Range REPORTED_EQUITY = Range.from(0, MAX_EQUITY);
    /** A check's {@code market.volume24h} and a bar's volume. */
    public static final Range VOLUME = Range.from(0, MAX_VOLUME);
    /** A check's {@code market.spreadBps}. */
    public static final Range SPREAD_BPS = Range.from(0, MAX_SPREAD_BPS);
    /** A signal's {@code strength}: a weight in [0, 1], as the confidence-weighted sizer reads it. */
    public static final Range UNIT = Range.from(0, 1);

    private Bounds() {
    }

    /**
     * The values a number may take: above {@code min} (or from it, when {@code minIncluded}) up to {@code max}
     * included. Non-finite numbers are never in a range.
     */
    public record Range(double min, boolean minIncluded, double max) {

        public Range {
            if (!Double.isFinite(min) || !Double.isFinite(max) || max <= min) {
                throw new IllegalArgumentException("a range needs finite min < max, was " + min + ", " + max);
            }
        }

        /** (min, max]. */
        public static Range above(double min, double max) {
            return new Range(min, false, max);
        }

        /** [min, max]. */
        public static Range from(double min, double max) {
            return new Range(min, true, max);
        }

        public boolean contains(double v) {
            return (minIncluded ? v >= min : v > min) && v <= max;
        }

        /** What is wrong with {@code v}, as a field's message ends before ", was v"; null when it is in range. */
        public String violation(double v) {
            if (!Double.isFinite(v)) {
                return "must be a finite number";
            }
            if (minIncluded ? v < min : v <= min) {
                return "must be " + (minIncluded ? ">= " : "> ") + plain(min);
            }
            if (v > max) {
                return "must be at most " + plain(max);
            }
            return null;
        }

        static String plain(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e18 ? String.valueOf((long) v) : String.valueOf(v);
        }
    }

    /** Instants a request may carry: the years 1970 to 9999 (SQL timestamps and replays of any real history fit). */
    public static final java.time.Instant EARLIEST = java.time.Instant.parse("1970-01-01T00:00:00Z");
    public static final java.time.Instant LATEST = java.time.Instant.parse("9999-12-31T23:59:59Z");
}
