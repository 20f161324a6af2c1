package io.riskgate.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.policy.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One account's state in memory: its event clock, the equity snapshot it values from, marked equity, exposure by
 * asset and strategy, reservation expiry and the closed-trade results it keeps. Numbers follow seed 001: equity
 * 10,000, 0.01 BTC long at 50,000 (500 notional).
 */
class AccountBookTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static Position position(String id, String asset, String strategy, Side side, double quantity,
                                     double entry) {
        return new Position(id, "d-" + id, "a", asset + "USDT", asset, strategy, side, quantity, entry,
                entry * 0.95, entry * 1.1, T0);
    }

    private static Reservation reservation(String id, String asset, String strategy, double notional,
                                           Instant expiresAt) {
        return new Reservation(id, "a", asset + "USDT", asset, strategy, notional, expiresAt);
    }

    static Stream<Arguments> eventTimes() {
        return Stream.of(
                Arguments.of(T0.minusNanos(1_000), T0),  // a check from the past does not move the clock back
                Arguments.of(T0, T0),                    // the same instant: unchanged
                Arguments.of(T0.plusNanos(1_000), T0.plusNanos(1_000)),
                // the clock keeps microseconds, as the databases store the times it resumes from after a restart
                Arguments.of(T0.plusNanos(999), T0),
                Arguments.of(T0.plusNanos(1_999), T0.plusNanos(1_000)));
    }

    @ParameterizedTest
    @MethodSource("eventTimes")
    void theEventClockNeverRunsBackwards(Instant eventTime, Instant expected) {
        AccountBook b = new AccountBook("a");
        b.advance(T0);
        assertThat(b.advance(eventTime)).isEqualTo(expected);
    }

    static Stream<Arguments> snapshots() {
        return Stream.of(
                Arguments.of(T0.minusNanos(1), false, 10_000.0),  // older: the newer snapshot stays
                Arguments.of(T0, true, 9_000.0),                  // same event time: the later report wins
                Arguments.of(T0.plusNanos(1), true, 9_000.0));
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    void aSnapshotOlderThanTheOneHeldIsIgnored(Instant observedAt, boolean kept, double equity) {
        AccountBook b = new AccountBook("a");
        b.observe(new EquitySnapshot("a", 10_000, T0));
        assertThat(b.observe(new EquitySnapshot("a", 9_000, observedAt))).isEqualTo(kept);
        assertThat(b.equity()).get().extracting(EquitySnapshot::equity).isEqualTo(equity);
    }

    @Test
    void noMarkedEquityBeforeASnapshot() {
        assertThat(new AccountBook("a").markedEquity()).isEmpty();
        assertThat(new AccountBook("a").equity()).isEmpty();
    }

    @Test
    void markedEquityMovesWithEachOpenPositionsMarkBySide() {
        AccountBook b = new AccountBook("a");
        b.observe(new EquitySnapshot("a", 10_000, T0));
        b.open(position("long", "BTC", null, Side.LONG, 0.01, 50_000));
        b.value("long", 50_000, 50_000);
        b.open(position("short", "ETH", null, Side.SHORT, 0.1, 3_000));
        b.value("short", 3_000, 3_000);
        b.mark("long", 49_000);   // long 0.01 x -1,000 = -10
        b.mark("short", 2_900);   // short 0.1 x -100 = +10
        assertThat(b.markedEquity()).get().isEqualTo(10_000.0);
        b.mark("short", 3_000);
        // seed 001's example: 10,000 - 10 = 9,990
        assertThat(b.markedEquity()).get().isEqualTo(9_990.0);
        assertThat(b.lastPrice("long")).isEqualTo(49_000.0);
        assertThat(b.refPrice("long")).isEqualTo(50_000.0);
    }

    @Test
    void aNewSnapshotBecomesTheBaseTheMarksAreValuedFrom() {
        AccountBook b = new AccountBook("a");
        b.observe(new EquitySnapshot("a", 10_000, T0));
        b.open(position("long", "BTC", null, Side.LONG, 0.01, 50_000));
        b.value("long", 50_000, 50_000);
        b.mark("long", 49_000);
        // the reported 9,990 already holds the -10: valued from 49,000 on, not counted twice
        b.observe(new EquitySnapshot("a", 9_990, T0.plusSeconds(60)));
        assertThat(b.markedEquity()).get().isEqualTo(9_990.0);
        assertThat(b.refPrice("long")).isEqualTo(49_000.0);
        b.mark("long", 49_500);
        assertThat(b.markedEquity()).get().isEqualTo(9_995.0);
    }

    @Test
    void aMarkOfATradeNotHeldChangesNothing() {
        AccountBook b = new AccountBook("a");
        b.observe(new EquitySnapshot("a", 10_000, T0));
        b.mark("unknown", 1.0);
        assertThat(b.markedEquity()).get().isEqualTo(10_000.0);
        assertThat(b.lastPrice("unknown")).isNaN();
        assertThat(b.refPrice("unknown")).isNaN();
    }

    @Test
    void closingAPositionDropsItAndItsValuation() {
        AccountBook b = new AccountBook("a");
        b.open(position("t1", "BTC", null, Side.LONG, 0.01, 50_000));
        b.value("t1", 50_000, 50_000);
        b.close("t1");
        assertThat(b.positions()).isEmpty();
        assertThat(b.lastPrice("t1")).isNaN();
        assertThat(b.exposure()).isZero();
    }

    @Test
    void exposureCountsPositionsAndReservationsByAssetAndStrategy() {
        AccountBook b = new AccountBook("a");
        b.open(position("t1", "BTC", "trend", Side.LONG, 0.01, 50_000));      // 500
        b.open(position("t2", "ETH", null, Side.SHORT, 0.1, 3_000));          // 300: a short holds exposure too
        b.reserve(reservation("d1", "BTC", "breakout", 200, T0.plusSeconds(300)));
        b.reserve(reservation("d2", "SOL", null, 100, T0.plusSeconds(300)));
        assertThat(b.exposure()).isCloseTo(1_100.0, within(1e-9));
        assertThat(b.assetExposure("BTC")).isCloseTo(700.0, within(1e-9));
        assertThat(b.assetExposure("ETH")).isCloseTo(300.0, within(1e-9));
        assertThat(b.assetExposure("XRP")).isZero();
        assertThat(b.strategyExposure("trend")).isCloseTo(500.0, within(1e-9));
        assertThat(b.strategyExposure("breakout")).isCloseTo(200.0, within(1e-9));
        // orders without a strategy are one bucket of their own
        assertThat(b.strategyExposure(null)).isCloseTo(400.0, within(1e-9));
        b.release("d1");
        assertThat(b.exposure()).isCloseTo(900.0, within(1e-9));
        assertThat(b.reservations()).extracting(Reservation::decisionId).containsExactly("d2");
    }

    static Stream<Arguments> expiries() {
        Instant expires = T0.plus(Duration.ofMinutes(5));
        return Stream.of(
                Arguments.of(expires.minusNanos(1), false),
                Arguments.of(expires, true),           // lapses at its expiry instant, not after
                Arguments.of(expires.plusNanos(1), true));
    }

    @ParameterizedTest
    @MethodSource("expiries")
    void aReservationExpiresAtItsExpiryInstant(Instant now, boolean expired) {
        AccountBook b = new AccountBook("a");
        b.reserve(reservation("d1", "BTC", null, 500, T0.plus(Duration.ofMinutes(5))));
        assertThat(b.expiredAt(now)).hasSize(expired ? 1 : 0);
        // expiry is only reported: releasing is the portfolio's, under the account's lock
        assertThat(b.reservations()).hasSize(1);
    }

    @Test
    void resultsAreKeptNewestFirstUpToTheLimit() {
        AccountBook b = new AccountBook("a");
        b.recordResult(TradeResult.LOSS);
        for (int i = 0; i < AccountBook.RESULTS_KEPT - 1; i++) {
            b.recordResult(TradeResult.FLAT);
        }
        // exactly at the limit: the oldest (the LOSS) is still there, last
        assertThat(b.recentResults()).hasSize(AccountBook.RESULTS_KEPT).last().isEqualTo(TradeResult.LOSS);
        b.recordResult(TradeResult.WIN);
        // one over: the oldest goes, the newest leads
        assertThat(b.recentResults()).hasSize(AccountBook.RESULTS_KEPT).doesNotContain(TradeResult.LOSS);
        assertThat(b.recentResults().get(0)).isEqualTo(TradeResult.WIN);
    }

    @Test
    void aPreviewHoldsTheGivenStateValuedAtTheGivenPrices() {
        List<Position> positions = new ArrayList<>();
        positions.add(position("t1", "BTC", null, Side.LONG, 0.01, 50_000));
        positions.add(position("t2", "ETH", null, Side.LONG, 0.1, 3_000));
        AccountBook b = AccountBook.preview("a", new EquitySnapshot("a", 10_000, T0), positions,
                Map.of("t1", 49_000.0), List.of(TradeResult.WIN, TradeResult.LOSS));
        // valued from the given price (t1) or the entry (t2): the snapshot already holds those marks
        assertThat(b.markedEquity()).get().isEqualTo(10_000.0);
        assertThat(b.lastPrice("t1")).isEqualTo(49_000.0);
        assertThat(b.lastPrice("t2")).isEqualTo(3_000.0);
        assertThat(b.recentResults()).containsExactly(TradeResult.WIN, TradeResult.LOSS);
        assertThat(b.advance(T0.minusSeconds(1))).isEqualTo(T0);
        assertThat(b.exposure()).isCloseTo(800.0, within(1e-9));
    }
}
