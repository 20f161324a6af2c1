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
import java.util.Optional;
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

    /**
     * The latest bars of one symbol at one interval, oldest first; {@code version} changes when they do. Open
     * times and closes are also kept as arrays, so aligning many series is a merge of sorted numbers. A series
     * {@link #closedBy cut at an event time} shares them.
     */
    public static final class Series {
        private final String symbol;
        private final String interval;
        private final long version;
        private final List<MarketBar> all;
        private final long[] times;
        private final double[] closes;
        private final int end;

        public Series(String symbol, String interval, long version, List<MarketBar> bars) {
            this(symbol, interval, version, List.copyOf(bars), times(bars), closes(bars), bars.size());
        }

        private Series(String symbol, String interval, long version, List<MarketBar> all, long[] times,
                       double[] closes, int end) {
            this.symbol = symbol;
            this.interval = interval;
            this.version = version;
            this.all = all;
            this.times = times;
            this.closes = closes;
            this.end = end;
        }

        private static long[] times(List<MarketBar> bars) {
            long[] t = new long[bars.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = bars.get(i).openTime().getEpochSecond();
            }
            return t;
        }

        private static double[] closes(List<MarketBar> bars) {
            double[] c = new double[bars.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = bars.get(i).close();
            }
            return c;
        }

        public String symbol() {
            return symbol;
        }

        public String interval() {
            return interval;
        }

        public long version() {
            return version;
        }

        public List<MarketBar> bars() {
            return all.subList(0, end);
        }

        /** The close of the latest bar, NaN without bars. */
        public double lastClose() {
            return end == 0 ? Double.NaN : closes[end - 1];
        }

        /** Wilder's ATR over {@code period} bars, or why it cannot be computed. */
        public Estimate<IndicatorValue> atr(int period) {
            List<Bar> b = new ArrayList<>(end);
            bars().forEach(x -> b.add(new Bar(x.high(), x.low(), x.close())));
            return new WilderAtr(period).latest(b);
        }

        /** The EMA of closes over {@code period} bars, or why it cannot be computed. */
        public Estimate<IndicatorValue> ema(int period) {
            return new Ema(period).latest(java.util.Arrays.copyOf(closes, end));
        }

        /** Closes by open time. */
        public Map<Instant, Double> closes() {
            Map<Instant, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < end; i++) {
                out.put(Instant.ofEpochSecond(times[i]), closes[i]);
            }
            return out;
        }

        public Instant lastOpen() {
            return end == 0 ? null : Instant.ofEpochSecond(times[end - 1]);
        }

        /**
         * The bars already closed at {@code asOf} (open time + interval <= asOf): what was known then, so a replay
         * of history computes what live trading did.
         */
        public Series closedBy(Instant asOf) {
            long last = asOf.getEpochSecond() - MarketData.duration(interval).getSeconds();
            int n = end;
            while (n > 0 && times[n - 1] > last) {
                n--;
            }
            return n == end ? this : new Series(symbol, interval, version, all, times, closes, n);
        }

        /** Index of open time {@code t} among the bars, or -1. */
        int indexOf(long t) {
            int i = java.util.Arrays.binarySearch(times, 0, end, t);
            return i >= 0 ? i : -1;
        }
    }

    private final BarStore store;
    private final TransactionOperations tx;
    private final Clock clock;
    private final AtomicLong versions = new AtomicLong();
    private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Double> correlations = new ConcurrentHashMap<>();
    /** Each symbol's latest mark (POST /api/v1/marks), the price collar's reference with the closed bars. */
    private final ConcurrentHashMap<String, Reference> marks = new ConcurrentHashMap<>();

    /**
     * A price riskgate itself saw for a symbol, the price collar's reference (controls.price_collar): a mark's
     * price or a closed bar's close, when it was (the mark's time, the bar's close time), and which it was.
     */
    public record Reference(double price, Instant at, String source) {
    }

    /** Keeps {@code price} at {@code at} as the symbol's latest mark, unless a later one is kept. */
    public void recordMark(String symbol, double price, Instant at) {
        marks.merge(symbol, new Reference(price, at, "mark"), (kept, next) -> next.at().isBefore(kept.at()) ? kept
                : next);
    }

    /**
     * The symbol's latest price known at {@code asOf}: the later of its latest mark (not after {@code asOf}) and its
     * latest bar of {@code interval} closed by then; empty when riskgate has seen neither. Marks are kept in memory
     * (a restart starts from the bars until the next mark).
     */
    public Optional<Reference> reference(String symbol, String interval, Instant asOf) {
        Reference mark = marks.get(symbol);
        if (mark != null && mark.at().isAfter(asOf)) {
            mark = null; // a mark timed after this event was not known at it
        }
        Series closed = closedBy(symbol, interval, asOf);
        Reference bar = closed.lastOpen() == null ? null : new Reference(closed.lastClose(),
                closed.lastOpen().plus(duration(interval)), "bar " + interval);
        if (mark == null || (bar != null && bar.at().isAfter(mark.at()))) {
            return Optional.ofNullable(bar);
        }
        return Optional.of(mark);
    }
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

    /**
     * The series that have stored bars, read once: a series without any (a symbol a caller names, the price
     * collar's lookup for a symbol never posted) is answered empty without a query on every check.
     */
    private volatile Set<String> stored;

    private Set<String> stored() {
        Set<String> s = stored;
        if (s == null) {
            synchronized (this) {
                if (stored == null) {
                    Set<String> keys = ConcurrentHashMap.newKeySet();
                    keys.addAll(store.seriesKeys());
                    stored = keys;
                }
                s = stored;
            }
        }
        return s;
    }

    /** Stores a batch in one transaction (all or nothing) and drops what was computed from the series it touched. */
    public int ingest(List<MarketBar> bars) {
        tx.executeWithoutResult(s -> store.upsert(bars, clock.instant()));
        Set<String> known = stored();
        bars.forEach(b -> known.add(key(b.symbol(), b.interval())));
        Set<String> symbols = new TreeSet<>();
        Instant latestClose = Instant.MIN;
        Map<String, List<MarketBar>> byKey = new LinkedHashMap<>();
        for (MarketBar b : bars) {
            byKey.computeIfAbsent(key(b.symbol(), b.interval()), k -> new ArrayList<>()).add(b);
        }
        // a batch of newer bars extends the cached series (a feed, a replay); anything else drops it, to be read again
        byKey.forEach((k, added) -> series.computeIfPresent(k, (key, cached) -> extended(cached, added)));
        for (MarketBar b : bars) {
            symbols.add(b.symbol());
            Instant close = b.openTime().plus(duration(b.interval()));
            latestClose = close.isAfter(latestClose) ? close : latestClose;
        }
        Instant at = latestClose;
        correlations.keySet().removeIf(k -> symbols.stream().anyMatch(s -> k.contains("|" + s + "|")));
        listeners.forEach(l -> l.accept(symbols, at));
        return bars.size();
    }

    /**
     * {@code cached} with {@code added} appended when every added bar opens after the cached ones, in order, keeping
     * the latest {@link #HISTORY}; null (drop it) otherwise. A stored bar replaced by a batch is not appended.
     */
    private Series extended(Series cached, List<MarketBar> added) {
        long last = cached.end == 0 ? Long.MIN_VALUE : cached.times[cached.end - 1];
        for (MarketBar b : added) {
            long t = b.openTime().getEpochSecond();
            if (t <= last) {
                return null;
            }
            last = t;
        }
        // the cached numbers are copied as they are, not read again from each bar (a feed appends one at a time)
        int total = cached.end + added.size();
        int drop = Math.max(0, total - HISTORY);
        MarketBar[] bars = new MarketBar[total - drop];
        long[] times = new long[bars.length];
        double[] closes = new double[bars.length];
        int fromCached = Math.max(0, cached.end - drop);
        for (int i = 0; i < fromCached; i++) {
            bars[i] = cached.all.get(drop + i);
        }
        if (fromCached > 0) {
            System.arraycopy(cached.times, drop, times, 0, fromCached);
            System.arraycopy(cached.closes, drop, closes, 0, fromCached);
        }
        for (int i = fromCached; i < bars.length; i++) {
            MarketBar b = added.get(i - fromCached + Math.max(0, drop - cached.end));
            bars[i] = b;
            times[i] = b.openTime().getEpochSecond();
            closes[i] = b.close();
        }
        return new Series(cached.symbol(), cached.interval(), versions.incrementAndGet(),
                java.util.Collections.unmodifiableList(java.util.Arrays.asList(bars)), times, closes, bars.length);
    }

    /**
     * A symbol's latest bars at an interval (cached until the next batch touching it). A series with no stored
     * bars is not cached, so symbols a caller invents do not fill memory; it has version 0 until bars come.
     */
    public Series series(String symbol, String interval) {
        if (!stored().contains(key(symbol, interval))) {
            return new Series(symbol, interval, 0, List.of());
        }
        Series cached = series.computeIfAbsent(key(symbol, interval), k -> {
            List<MarketBar> bars = store.latest(symbol, interval, HISTORY);
            return bars.isEmpty() ? null : new Series(symbol, interval, versions.incrementAndGet(), bars);
        });
        return cached != null ? cached : new Series(symbol, interval, 0, List.of());
    }

    /**
     * The {@link #HISTORY} latest bars of a symbol at an interval already closed at {@code asOf} (open time +
     * interval <= asOf): exactly what was known then, whatever came later. The cached latest bars answer when they
     * reach back far enough (an event at or after the newest bar, as in live trading and in a replay fed in time
     * order, or a series with fewer stored bars than that); an earlier event reads its window from the store.
     */
    public Series closedBy(String symbol, String interval, Instant asOf) {
        Series latest = series(symbol, interval);
        Series cut = latest.closedBy(asOf);
        if (cut.end == latest.end || latest.end < HISTORY) {
            return cut;
        }
        Instant lastOpen = asOf.minus(duration(interval));
        return new Series(symbol, interval, latest.version(), store.openedBy(symbol, interval, lastOpen, HISTORY));
    }

    /** How many series are cached. */
    int cachedSeries() {
        return series.size();
    }

    /**
     * Simple returns of several symbols over the open times they all have, the latest {@code window} of them, in
     * time order. A symbol with no bars gives no common times: every array is then empty.
     */
    public Map<String, double[]> alignedReturns(Collection<String> symbols, String interval, int window,
                                                Instant asOf) {
        List<Series> all = new ArrayList<>();
        for (String s : symbols) {
            all.add(closedBy(s, interval, asOf));
        }
        // the open times every series has: walk the shortest, keep the times all the others hold too
        Series shortest = all.isEmpty() ? null : all.get(0);
        for (Series x : all) {
            shortest = x.end < shortest.end ? x : shortest;
        }
        long[] common = new long[shortest == null ? 0 : shortest.end];
        int n = 0;
        for (int i = 0; shortest != null && i < shortest.end; i++) {
            long t = shortest.times[i];
            boolean everywhere = true;
            for (Series x : all) {
                if (x != shortest && x.indexOf(t) < 0) {
                    everywhere = false;
                    break;
                }
            }
            if (everywhere) {
                common[n++] = t;
            }
        }
        int from = Math.max(0, n - (window + 1));
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Series x : all) {
            double[] r = new double[Math.max(0, n - from - 1)];
            double prev = n > from ? x.closes[x.indexOf(common[from])] : 0;
            for (int t = from + 1; t < n; t++) {
                double close = x.closes[x.indexOf(common[t])];
                r[t - from - 1] = close / prev - 1;
                prev = close;
            }
            out.put(x.symbol(), r);
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
        Series sa = closedBy(first, interval, asOf);
        Series sb = closedBy(second, interval, asOf);
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
