package io.riskgate.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.testing.Bars;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bars in, series out: the series cache holds symbols that have bars (symbols a caller invents are answered, not
 * kept), a batch drops only the series it touched and tells listeners, a series keeps the latest
 * {@link MarketData#HISTORY} bars, and a series cut at an event time holds the bars closed by then.
 */
class MarketDataTest {

    /** One migrated database for the class; each test has its own MarketData and its own symbols in it. */
    private static final javax.sql.DataSource DB = migrated();
    private final MutableClock clock = new MutableClock(TestRuntime.T0);
    private final MarketData market = new MarketData(new BarStore(DB),
            org.springframework.transaction.support.TransactionOperations.withoutTransaction(), clock);
    private final String tag = java.util.UUID.randomUUID().toString().substring(0, 8)
            .toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "X");

    private static javax.sql.DataSource migrated() {
        var ds = TestRuntime.memoryDatabase();
        io.riskgate.runtime.RiskgateRuntime.migrate(ds);
        return ds;
    }

    /** {@code base} made unique to this test: "BTC" becomes e.g. "BTCXAFXXBCDUSDT". */
    private String sym(String base) {
        return base + tag + "USDT";
    }

    @Test
    void symbolsWithoutBarsAreNotKept() {
        for (int i = 0; i < 1_000; i++) {
            MarketData.Series s = market.series("INVENTED" + i + "USDT", "1d");
            assertThat(s.bars()).isEmpty();
            assertThat(s.version()).isZero();
        }
        assertThat(market.cachedSeries()).isZero();
    }

    @Test
    void aSymbolIsKeptOnceItHasBarsAndANewVersionTellsTheChange() {
        assertThat(market.series(sym("BTC"), "1d").version()).isZero();
        market.ingest(Bars.daily(sym("BTC"), 50_000, new double[] {0.01, -0.02}, LAST_OPEN));
        MarketData.Series s = market.series(sym("BTC"), "1d");
        assertThat(s.bars()).hasSize(3);
        assertThat(s.version()).isPositive();
        assertThat(market.series(sym("BTC"), "1d")).isSameAs(s);
        assertThat(market.cachedSeries()).isEqualTo(1);
    }

    private static final Instant LAST_OPEN = TestRuntime.T0.minus(Duration.ofDays(1));

    @Test
    void aBatchDropsOnlyTheSeriesItTouchedAndTellsTheListeners() {
        market.ingest(Bars.daily(sym("BTC"), 50_000, new double[] {0.01}, LAST_OPEN));
        market.ingest(Bars.daily(sym("ETH"), 3_000, new double[] {0.01}, LAST_OPEN));
        MarketData.Series btc = market.series(sym("BTC"), "1d");
        MarketData.Series eth = market.series(sym("ETH"), "1d");
        List<Object[]> told = new ArrayList<>();
        market.onUpdate((symbols, at) -> told.add(new Object[] {symbols, at}));

        market.ingest(Bars.daily(sym("ETH"), 3_000, new double[] {0.01, 0.02}, LAST_OPEN));

        assertThat(market.series(sym("BTC"), "1d")).isSameAs(btc);
        MarketData.Series eth2 = market.series(sym("ETH"), "1d");
        assertThat(eth2).isNotSameAs(eth);
        assertThat(eth2.version()).isGreaterThan(eth.version());
        assertThat(eth2.bars()).hasSize(3);
        // the symbols of the batch, and its latest close: the last bar opens a day before T0 and closes at T0
        assertThat(told).hasSize(1);
        assertThat(told.get(0)[0]).isEqualTo(Set.of(sym("ETH")));
        assertThat(told.get(0)[1]).isEqualTo(TestRuntime.T0);
    }

    @Test
    void aSeriesKeepsTheLatestHistoryBars() {
        // HISTORY + 1 bars: the oldest is left out, the newest kept
        double[] returns = new double[MarketData.HISTORY];
        List<io.riskgate.market.MarketBar> bars = Bars.daily(sym("SOL"), 150, returns, LAST_OPEN);
        assertThat(bars).hasSize(MarketData.HISTORY + 1);
        market.ingest(bars);
        MarketData.Series s = market.series(sym("SOL"), "1d");
        assertThat(s.bars()).hasSize(MarketData.HISTORY);
        assertThat(s.bars().get(0).openTime()).isEqualTo(bars.get(1).openTime());
        assertThat(s.lastOpen()).isEqualTo(LAST_OPEN);
    }

    static Stream<Arguments> cuts() {
        // the last bar opens at LAST_OPEN and closes a day later, at T0
        return Stream.of(
                Arguments.of(TestRuntime.T0.minusSeconds(1), 2, LAST_OPEN.minus(Duration.ofDays(1))),
                Arguments.of(TestRuntime.T0, 3, LAST_OPEN),
                Arguments.of(TestRuntime.T0.plusSeconds(1), 3, LAST_OPEN));
    }

    @ParameterizedTest
    @MethodSource("cuts")
    void aSeriesCutAtAnEventTimeHoldsTheBarsClosedByThen(Instant asOf, int bars, Instant lastOpen) {
        market.ingest(Bars.daily(sym("BTC"), 50_000, new double[] {0.01, -0.02}, LAST_OPEN));
        MarketData.Series cut = market.series(sym("BTC"), "1d").closedBy(asOf);
        assertThat(cut.bars()).hasSize(bars);
        assertThat(cut.lastOpen()).isEqualTo(lastOpen);
        assertThat(cut.closes()).hasSize(bars);
    }

    @Test
    void aSeriesCutBeforeItsFirstCloseIsEmpty() {
        // two bars: the first opens a day before LAST_OPEN and closes at LAST_OPEN, a second before is too early
        market.ingest(Bars.daily(sym("BTC"), 50_000, new double[] {0.01}, LAST_OPEN));
        MarketData.Series cut = market.series(sym("BTC"), "1d").closedBy(LAST_OPEN.minusSeconds(1));
        assertThat(cut.bars()).isEmpty();
        assertThat(cut.lastOpen()).isNull();
    }

    static Stream<Arguments> intervals() {
        return Stream.of(Arguments.of("15m", Duration.ofMinutes(15)), Arguments.of("4h", Duration.ofHours(4)),
                Arguments.of("1d", Duration.ofDays(1)), Arguments.of("1w", Duration.ofDays(7)));
    }

    @ParameterizedTest
    @MethodSource("intervals")
    void anIntervalReadsAsItsDuration(String interval, Duration expected) {
        assertThat(MarketData.duration(interval)).isEqualTo(expected);
    }

    @Test
    void anUnknownIntervalUnitIsRefused() {
        assertThatThrownBy(() -> MarketData.duration("1y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1y");
    }

    /**
     * Issue 14's measurement: 1,917 five-minute bars stored, then an event after bar 900 (as a replay, or a late
     * check, sees it). The cached series holds the newest 1,000 bars (917 to 1,916): cutting them at bar 900 left
     * none ("had 0"), and at bar 1,116 the EMA came from the 200 bars 917 to 1,116 instead of the 1,000 before it.
     * Now each event sees exactly the 1,000 bars closed by its time.
     */
    @Test
    void anEarlierEventSeesExactlyTheThousandBarsClosedByItsTime() {
        String btc = sym("BTC");
        Instant first = TestRuntime.T0.minus(Duration.ofDays(30));
        List<io.riskgate.risk.indicators.Bar> all = new ArrayList<>();
        List<MarketBar> bars = new ArrayList<>();
        double[] r = Bars.randomReturns(14, 1_917, 0.002);
        double close = 50_000;
        for (int i = 0; i < 1_917; i++) {
            double open = close;
            close = open * (1 + r[i]);
            bars.add(new MarketBar(btc, "5m", first.plus(Duration.ofMinutes(5L * i)), open,
                    Math.max(open, close) * 1.001, Math.min(open, close) * 0.999, close, 10));
            all.add(new io.riskgate.risk.indicators.Bar(bars.get(i).high(), bars.get(i).low(), close));
        }
        market.ingest(bars);
        for (int k : new int[] {900, 1_116, 1_916}) {
            // bar k closes at first + 5 min x (k + 1): its window is bars k - 999 .. k (all of them before 1,000)
            Instant at = first.plus(Duration.ofMinutes(5L * (k + 1)));
            MarketData.Series s = market.closedBy(btc, "5m", at);
            int from = Math.max(0, k - MarketData.HISTORY + 1);
            assertThat(s.bars()).as("bars closed by bar %d", k).hasSize(k - from + 1);
            assertThat(s.bars().get(0)).isEqualTo(bars.get(from));
            assertThat(s.lastOpen()).isEqualTo(bars.get(k).openTime());
            double[] closes = bars.subList(from, k + 1).stream().mapToDouble(MarketBar::close).toArray();
            assertThat(s.ema(200).orElseThrow().value())
                    .isEqualTo(new io.riskgate.risk.indicators.Ema(200).latest(closes).orElseThrow().value());
            assertThat(s.atr(14).orElseThrow().value()).isEqualTo(new io.riskgate.risk.indicators.WilderAtr(14)
                    .latest(all.subList(from, k + 1)).orElseThrow().value());
        }
        // a second before bar 900 closes, bar 899 is the last known
        assertThat(market.closedBy(btc, "5m", first.plus(Duration.ofMinutes(5L * 901)).minusSeconds(1)).lastOpen())
                .isEqualTo(bars.get(899).openTime());
    }

    @Test
    void aCachedSeriesExtendedByNewerBatchesIsTheSeriesTheStoreWouldGive() {
        // 2,700 daily bars arriving as 995, then 1, 1, 1, then 10, then 1,692 (more than HISTORY at once): after
        // each batch the cached series is what a fresh read of the store gives (the latest HISTORY, same numbers)
        String eth = sym("ETH");
        List<MarketBar> all = Bars.daily(eth, 3_000, Bars.randomReturns(5, 2_699, 0.02), LAST_OPEN);
        int[] batches = {995, 1, 1, 1, 10, 1_692};
        int from = 0;
        for (int size : batches) {
            market.ingest(all.subList(from, from + size));
            from += size;
            MarketData.Series cached = market.series(eth, "1d");
            MarketData.Series fresh = new MarketData(new BarStore(DB),
                    org.springframework.transaction.support.TransactionOperations.withoutTransaction(), clock)
                    .series(eth, "1d");
            int first = Math.max(0, from - MarketData.HISTORY);
            assertThat(cached.bars()).as("after %d bars", from).isEqualTo(all.subList(first, from))
                    .isEqualTo(fresh.bars());
            assertThat(cached.closes()).isEqualTo(fresh.closes());
            assertThat(cached.lastClose()).isEqualTo(all.get(from - 1).close());
            assertThat(cached.ema(200).orElseThrow().value()).isEqualTo(fresh.ema(200).orElseThrow().value());
        }
    }
}
