package io.riskgate.market;

import io.riskgate.risk.Estimate;
import io.riskgate.risk.indicators.Bar;
import io.riskgate.risk.indicators.Ema;
import io.riskgate.risk.indicators.IndicatorValue;
import io.riskgate.risk.indicators.WilderAtr;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Stored bars and what is computed from them (only bars closed by an event's time count, so a replay sees what
 * live trading saw). Each series' latest bars and each pair's correlation are cached until a batch touches them;
 * ATR, EMA and returns are computed from the cached bars when asked: each symbol's latest bars at an interval
 * (Wilder's ATR, the EMA, returns), and the correlation of each pair of symbols. A batch of bars invalidates the
 * series it touches, so a pre-trade check reads cached values and never recomputes a correlation matrix per request.
 */
public final class MarketData {

    /** Bars kept in memory per series: enough for a 500-return window and an EMA 200 seeded well back. */
    public static final int HISTORY = 1_000;

    /** The latest bars of one symbol at one interval, oldest first; {@code version} changes when they do. */
    public record Series(String symbol, String interval, long version, List<MarketBar> bars) {

        public Series {
            bars = List.copyOf(bars);
        }

        /** Wilder's ATR over {@code period} bars, or why it cannot be computed. */
        public Estimate<IndicatorValue> atr(int period) {
            List<Bar> b = new ArrayList<>(bars.size());
            bars.forEach(x -> b.add(new Bar(x.high(), x.low(), x.close())));
            return new WilderAtr(period).latest(b);
        }

        /** The EMA of closes over {@code period} bars, or why it cannot be computed. */
        public Estimate<IndicatorValue> ema(int period) {
            return new Ema(period).latest(bars.stream().mapToDouble(MarketBar::close).toArray());
        }

        /** Closes by open time. */
        public Map<Instant, Double> closes() {
            Map<Instant, Double> out = new LinkedHashMap<>();
            bars.forEach(b -> out.put(b.openTime(), b.close()));
            return out;
        }

        public Instant lastOpen() {
            return bars.isEmpty() ? null : bars.get(bars.size() - 1).openTime();
        }

        /**
         * The bars already closed at {@code asOf} (open time + interval <= asOf): what was known then, so a replay
         * of history computes what live trading did.
         */
        public Series closedBy(Instant asOf) {
            java.time.Duration length = MarketData.duration(interval);
            int n = bars.size();
            while (n > 0 && bars.get(n - 1).openTime().plus(length).isAfter(asOf)) {
                n--;
            }
            return n == bars.size() ? this : new Series(symbol, interval, version, bars.subList(0, n));
        }
    }

    private final BarStore store;
    private final TransactionOperations tx;
    private final Clock clock;
    private final AtomicLong versions = new AtomicLong();
    private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Double> correlations = new ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<Set<String>, Instant>> listeners = new CopyOnWriteArrayList<>();

    public MarketData(BarStore store, TransactionOperations tx, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Called with the symbols a batch updated and the latest close time in it, after it is stored (the governor's
     * spike breakers listen).
     */
    public void onUpdate(java.util.function.BiConsumer<Set<String>, Instant> listener) {
        listeners.add(listener);
    }

    /** Stores a batch in one transaction (all or nothing) and drops what was computed from the series it touched. */
    public int ingest(List<MarketBar> bars) {
        tx.executeWithoutResult(s -> store.upsert(bars, clock.instant()));
        Set<String> symbols = new TreeSet<>();
        Instant latestClose = Instant.MIN;
        for (MarketBar b : bars) {
            series.remove(key(b.symbol(), b.interval()));
            symbols.add(b.symbol());
            Instant close = b.openTime().plus(duration(b.interval()));
            latestClose = close.isAfter(latestClose) ? close : latestClose;
        }
        Instant at = latestClose;
        correlations.keySet().removeIf(k -> symbols.stream().anyMatch(s -> k.contains("|" + s + "|")));
        listeners.forEach(l -> l.accept(symbols, at));
        return bars.size();
    }

    /** A symbol's latest bars at an interval (cached until the next batch touching it). */
    public Series series(String symbol, String interval) {
        return series.computeIfAbsent(key(symbol, interval),
                k -> new Series(symbol, interval, versions.incrementAndGet(), store.latest(symbol, interval, HISTORY)));
    }

    /**
     * Simple returns of several symbols over the open times they all have, the latest {@code window} of them, in
     * time order. A symbol with no bars gives no common times: every array is then empty.
     */
    public Map<String, double[]> alignedReturns(Collection<String> symbols, String interval, int window,
                                                Instant asOf) {
        List<Map<Instant, Double>> closes = new ArrayList<>();
        Set<Instant> common = null;
        for (String s : symbols) {
            Map<Instant, Double> c = series(s, interval).closedBy(asOf).closes();
            closes.add(c);
            if (common == null) {
                common = new TreeSet<>(c.keySet());
            } else {
                common.retainAll(c.keySet());
            }
        }
        List<Instant> times = common == null ? List.of() : new ArrayList<>(common);
        int from = Math.max(0, times.size() - (window + 1));
        times = times.subList(from, times.size());
        Map<String, double[]> out = new LinkedHashMap<>();
        int i = 0;
        for (String s : symbols) {
            Map<Instant, Double> c = closes.get(i++);
            double[] r = new double[Math.max(0, times.size() - 1)];
            for (int t = 1; t < times.size(); t++) {
                r[t - 1] = c.get(times.get(t)) / c.get(times.get(t - 1)) - 1;
            }
            out.put(s, r);
        }
        return out;
    }

    /**
     * Pearson correlation of two symbols' returns over their common latest {@code window} returns (at least
     * {@code minObservations}), cached until either series changes.
     */
    public Estimate<Double> correlation(String a, String b, String interval, int window, int minObservations,
                                        Instant asOf) {
        if (a.equals(b)) {
            return Estimate.ready(1.0);
        }
        String first = a.compareTo(b) < 0 ? a : b;
        String second = first.equals(a) ? b : a;
        Series sa = series(first, interval).closedBy(asOf);
        Series sb = series(second, interval).closedBy(asOf);
        // keyed by each series' version and last closed bar: the cache holds until a bar is posted or closes
        String key = interval + "|" + first + "|" + second + "|" + window + "|" + sa.version() + "|" + sa.lastOpen()
                + "|" + sb.version() + "|" + sb.lastOpen();
        Double cached = correlations.get(key);
        if (cached != null) {
            return Estimate.ready(cached);
        }
        Map<String, double[]> r = alignedReturns(List.of(first, second), interval, window, asOf);
        double[] x = r.get(first);
        double[] y = r.get(second);
        if (x.length < minObservations) {
            return Estimate.insufficient("returns of " + first + " and " + second + " (" + interval + ")",
                    minObservations, x.length);
        }
        double c = new org.hipparchus.stat.correlation.PearsonsCorrelation().correlation(x, y);
        if (Double.isNaN(c)) {
            return Estimate.undefined(first + " or " + second + " did not move over the window: correlation undefined");
        }
        correlations.put(key, c);
        return Estimate.ready(c);
    }

    /** An interval as a duration: 15m, 4h, 1d, 1w. */
    public static java.time.Duration duration(String interval) {
        long n = Long.parseLong(interval.substring(0, interval.length() - 1));
        return switch (interval.charAt(interval.length() - 1)) {
            case 'm' -> java.time.Duration.ofMinutes(n);
            case 'h' -> java.time.Duration.ofHours(n);
            case 'd' -> java.time.Duration.ofDays(n);
            case 'w' -> java.time.Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("unknown interval " + interval);
        };
    }

    private static String key(String symbol, String interval) {
        return symbol + "|" + interval;
    }
}
