package io.riskgate.portfolio;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.portfolio.PortfolioDatabase.Held;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 12's quiet mark: a mark prices an account's live trades on its symbol through one row per account and symbol
 * (account_mark) instead of rewriting every trade; a trade's row is written only when the mark changed it. What every
 * read gives back is what the trades were priced at, no more and no less, and a book read anew (a restart, an
 * eviction) is the book in memory.
 *
 * <p>Seed 001's order on BTCUSDT: a long filled at 50,000 with ATR 1,500, so the stop is 50,000 - 1.5 x 1,500 =
 * 47,750 and 1R = 2,250; a price between the stop and +1R (52,250, breakeven) moves nothing.
 */
class AccountMarkTest {

    private static final Instant T0 = TestRuntime.T0;

    private final DataSource db = TestRuntime.memoryDatabase();
    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(1)));
    private final RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
            "default", db, clock, new SimpleMeterRegistry());
    private final JdbcTemplate jdbc = new JdbcTemplate(db);
    private final PortfolioStore store = rt.portfolio().store();
    private int orders;

    @AfterEach
    void close() {
        rt.close();
    }

    /** Seed 001's order approved on {@code account} and filled at 50,000 at {@code at}. */
    private Trade filled(String account, Instant at) {
        Decision d = rt.engine().check(set(set(Requests.seed001(), "account", account), "clientOrderId",
                "o-" + ++orders));
        assertThat(d.approved()).as("%s", d.codes()).isTrue();
        return rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.of(at))).trade();
    }

    private void mark(double price, Instant at) {
        rt.exits().mark(Mark.at("BTCUSDT", price, at));
    }

    private Object column(Trade t, String column) {
        return jdbc.queryForObject("SELECT " + column + " FROM trade WHERE id = ?", Object.class, t.id());
    }

    private Map<String, Object> row(String account) {
        return jdbc.queryForMap("SELECT seq, price, marked_at FROM account_mark WHERE account = ? AND symbol = ?",
                account, "BTCUSDT");
    }

    private static Instant instant(Object timestamp) {
        return ((OffsetDateTime) timestamp).toInstant();
    }

    private Instant lastMarkAt(Trade t) {
        return store.trade(t.id()).orElseThrow().progress().lastMarkAt();
    }

    /** The book in memory is what a restart would read. */
    private void assertMemoryIsTheDatabase(String account) {
        Held memory = rt.portfolio().withAccount(account, Held::of);
        assertThat(memory).isEqualTo(Held.of(store.load(account)));
    }

    @Test
    void aQuietMarkPricesTheTradesThroughTheAccountsRowAndWritesNoTrade() {
        Trade a = filled("am", T0);
        Trade b = filled("am", T0);

        // 50,100 at T0 + 60 s: a new best price for both (the fill's 50,000 was the best), so it changed every trade
        // it priced: both are written, with their own price, and no row (it would save no write)
        mark(50_100, T0.plusSeconds(60));
        assertThat(column(a, "last_price")).isEqualTo(50_100.0);
        assertThat(column(a, "mark_seq")).isEqualTo(0L);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account_mark", Long.class)).isZero();

        // 50,050 at T0 + 120 s: between the stop (47,750) and breakeven (52,250), under the best and above the worst
        // (50,000): nothing of either trade moves, so the row is written (sequence 1) and neither trade is ...
        mark(50_050, T0.plusSeconds(120));
        assertThat(row("am")).containsEntry("SEQ", 1L).containsEntry("PRICE", 50_050.0);
        assertThat(instant(row("am").get("MARKED_AT"))).isEqualTo(T0.plusSeconds(120));
        assertThat(column(a, "last_price")).isEqualTo(50_100.0);
        assertThat(instant(column(b, "last_mark_at"))).isEqualTo(T0.plusSeconds(60));
        assertThat(column(b, "mark_seq")).isEqualTo(0L);
        // ... and every read gives the price and time they were marked at
        assertThat(store.lastPrices("am")).containsExactly(Map.entry(a.id(), 50_050.0), Map.entry(b.id(), 50_050.0));
        assertThat(lastMarkAt(a)).isEqualTo(T0.plusSeconds(120));
        assertThat(lastMarkAt(b)).isEqualTo(T0.plusSeconds(120));
        assertMemoryIsTheDatabase("am");

        // and the next quiet one moves the row on by one
        mark(50_060, T0.plusSeconds(180));
        assertThat(row("am")).containsEntry("SEQ", 2L).containsEntry("PRICE", 50_060.0);
        assertThat(store.lastPrices("am").values()).containsExactly(50_060.0, 50_060.0);
        assertThat(column(a, "last_price")).isEqualTo(50_100.0);
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aMarkWritesOnlyTheTradesItChanged() {
        Trade a = filled("am", T0);
        Trade b = filled("am", T0);
        mark(50_100, T0.plusSeconds(60));
        // a third trade, filled at 50,000 after that mark: its best and worst are 50,000
        Trade c = filled("am", T0.plusSeconds(90));

        // 50,050: inside a's and b's range (50,000 to 50,100), a new best for c. Two not written against c's one
        mark(50_050, T0.plusSeconds(120));
        assertThat(row("am")).containsEntry("SEQ", 1L);
        assertThat(column(a, "last_price")).isEqualTo(50_100.0);
        assertThat(column(c, "last_price")).isEqualTo(50_050.0);
        assertThat(column(c, "best_price")).isEqualTo(50_050.0);
        assertThat(column(c, "mark_seq")).isEqualTo(1L);
        assertThat(store.lastPrices("am").values()).containsExactly(50_050.0, 50_050.0, 50_050.0);
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aMarkThatMovesEveryStopWritesTheTradesAndNoRow() {
        Trade a = filled("am", T0);
        // +1R: 50,000 + 2,250 = 52,250, breakeven moves the stop up to the entry (plus costs)
        mark(52_250, T0.plusSeconds(60));

        Trade after = store.trade(a.id()).orElseThrow();
        assertThat(after.stopLoss()).isGreaterThan(a.stopLoss());
        assertThat(column(a, "last_price")).isEqualTo(52_250.0);
        assertThat(instant(column(a, "last_mark_at"))).isEqualTo(T0.plusSeconds(60));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account_mark", Long.class)).isZero();
        assertThat(store.lastPrices("am")).containsEntry(a.id(), 52_250.0);
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aTradeFilledAfterAMarkIsNotPricedByItEvenWhenItsFillTimeIsEarlier() {
        Trade first = filled("am", T0);
        mark(50_100, T0.plusSeconds(60));
        // quiet for the first trade (inside 50,000 to 50,100): the row, sequence 1, at T0 + 90 s
        mark(50_050, T0.plusSeconds(90));
        // filled after that mark was applied, at a fill time 60 s before the mark's: the row's time is not before the
        // trade's opening, but its sequence (1) is the trade's, so the row did not price it
        Trade late = filled("am", T0.plusSeconds(30));
        assertThat(column(late, "mark_seq")).isEqualTo(1L);
        assertThat(store.lastPrices("am")).containsExactly(Map.entry(first.id(), 50_050.0),
                Map.entry(late.id(), 50_000.0));
        assertThat(lastMarkAt(late)).isNull();
        assertMemoryIsTheDatabase("am");

        // the next mark prices it like the other
        mark(50_080, T0.plusSeconds(120));
        assertThat(store.lastPrices("am")).containsEntry(late.id(), 50_080.0).containsEntry(first.id(), 50_080.0);
        assertThat(lastMarkAt(late)).isEqualTo(T0.plusSeconds(120));
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aTradeOpenedAfterTheMarksTimeIsNotPricedByItAndOneOpenedAtItIs() {
        Trade early = filled("am", T0);
        mark(50_100, T0.plusSeconds(50));
        Trade atTheMark = filled("am", T0.plusSeconds(100));
        Trade later = filled("am", T0.plusSeconds(101));
        // 50,000 at T0 + 100 s moves nothing: inside the early trade's range, the fills' own price for the others.
        // The trade opened at T0 + 101 s is skipped by the exit rules, and the row (sequence 1, past the trades' 0)
        // does not price it either: it opened after the row's time. The one opened at the mark's time is priced.
        mark(50_000, T0.plusSeconds(100));

        assertThat(row("am")).containsEntry("SEQ", 1L);
        assertThat(lastMarkAt(early)).isEqualTo(T0.plusSeconds(100));
        assertThat(lastMarkAt(atTheMark)).isEqualTo(T0.plusSeconds(100));
        assertThat(lastMarkAt(later)).isNull();
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aMarkOlderThanTheRowLeavesItAndWritesTheTradesItPriced() {
        Trade first = filled("am", T0);
        mark(50_100, T0.plusSeconds(60));
        mark(50_050, T0.plusSeconds(120));
        // filled after that mark at an earlier time, then a mark from between the two arrives late
        Trade late = filled("am", T0.plusSeconds(30));
        mark(50_070, T0.plusSeconds(90));

        // the row still holds the latest mark; the late mark priced only the trade that had not seen a later one
        assertThat(row("am")).containsEntry("SEQ", 1L).containsEntry("PRICE", 50_050.0);
        assertThat(store.lastPrices("am")).containsExactly(Map.entry(first.id(), 50_050.0),
                Map.entry(late.id(), 50_070.0));
        assertThat(column(late, "last_price")).isEqualTo(50_070.0);
        assertThat(lastMarkAt(late)).isEqualTo(T0.plusSeconds(90));
        assertThat(lastMarkAt(first)).isEqualTo(T0.plusSeconds(120));
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aDelayedMarkThatMovesTheRowDoesNotPriceATradeMarkedLaterOnItsOwn() {
        Trade a = filled("am", T0);
        mark(50_100, T0.plusSeconds(10));
        mark(50_050, T0.plusSeconds(20));   // quiet: the row, sequence 1, at T0 + 20 s
        mark(50_200, T0.plusSeconds(60));   // a new best: a is written at T0 + 60 s, the row stays (nothing saved)
        Trade c = filled("am", T0.plusSeconds(30));
        // delayed, T0 + 45 s: after the row's time, so it moves the row (c priced and unchanged), but a has seen
        // T0 + 60 s and is skipped: the row, before a's own mark, does not price it
        mark(50_000, T0.plusSeconds(45));
        assertThat(row("am")).containsEntry("SEQ", 2L);
        assertThat(lastMarkAt(a)).isEqualTo(T0.plusSeconds(60));
        assertThat(store.lastPrices("am")).containsExactly(Map.entry(a.id(), 50_200.0), Map.entry(c.id(), 50_000.0));
        assertMemoryIsTheDatabase("am");

        // and the next delayed one, T0 + 50 s, still leaves a alone (its best stays 50,200 from T0 + 60 s)
        mark(50_150, T0.plusSeconds(50));
        assertThat(lastMarkAt(a)).isEqualTo(T0.plusSeconds(60));
        assertThat(store.lastPrices("am")).containsEntry(a.id(), 50_200.0);
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aDelayedFirstMarkDoesNotPriceATradeMarkedLaterOnItsOwn() {
        Trade a = filled("am", T0);
        mark(50_100, T0.plusSeconds(60));   // a new best: a written at T0 + 60 s, no row
        Trade b = filled("am", T0.plusSeconds(30));
        mark(50_000, T0.plusSeconds(45));   // the account's first row, at T0 + 45 s: b priced and unchanged, a skipped
        assertThat(row("am")).containsEntry("SEQ", 1L);
        assertThat(lastMarkAt(a)).isEqualTo(T0.plusSeconds(60));
        assertThat(lastMarkAt(b)).isEqualTo(T0.plusSeconds(45));
        assertThat(store.lastPrices("am")).containsEntry(a.id(), 50_100.0).containsEntry(b.id(), 50_000.0);
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void timesBelowAMicrosecondDoNotSplitMemoryFromTheDatabase() {
        Trade early = filled("am", T0);
        mark(50_100, T0.plusSeconds(10));
        // opened 0.6 microseconds after a whole microsecond; a mark 0.4 microseconds after it: kept to the
        // microsecond, both are at the same instant, so the exit rules price the trade and the row does too
        Instant whole = T0.plusSeconds(20).plusNanos(1_000);
        Trade fine = filled("am", whole.plusNanos(600));
        assertThat(fine.openedAt()).isEqualTo(whole);
        mark(50_050, whole.plusNanos(400));
        assertThat(lastMarkAt(fine)).isEqualTo(whole);
        assertThat(lastMarkAt(early)).isEqualTo(whole);
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void anEquityReportRebasesFromThePricesTheTradesWereMarkedAt() {
        Trade a = filled("am", T0);
        mark(50_100, T0.plusSeconds(60));
        mark(50_050, T0.plusSeconds(70));
        rt.portfolio().reportEquity(new EquitySnapshot("am", 10_000, T0.plusSeconds(90)));

        // the trade's own last_price is still the first mark's 50,100; its reference is the row's 50,050
        assertThat(column(a, "last_price")).isEqualTo(50_100.0);
        assertThat(column(a, "ref_price")).isEqualTo(50_050.0);
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void aClosedTradeKeepsTheMarkTimeItHadAndNoLaterMarkPricesIt() {
        Trade a = filled("am", T0);
        Trade b = filled("am", T0);
        mark(50_100, T0.plusSeconds(60));
        mark(50_050, T0.plusSeconds(70));
        rt.trades().close(a.id(), new CloseRequest(50_050, OptionalDouble.empty(), Optional.empty(),
                Optional.of(T0.plusSeconds(90))));
        mark(50_060, T0.plusSeconds(120));

        // the close wrote the mark time the row gave it (its own column said T0 + 60 s)
        assertThat(instant(column(a, "last_mark_at"))).isEqualTo(T0.plusSeconds(70));
        assertThat(lastMarkAt(a)).isEqualTo(T0.plusSeconds(70));
        assertThat(store.lastPrices("am")).containsExactly(Map.entry(b.id(), 50_060.0));
        assertMemoryIsTheDatabase("am");
    }

    @Test
    void theAccountsClockResumesFromItsLatestMark() {
        filled("am", T0);
        mark(50_100, T0.plusSeconds(60));
        mark(50_050, T0.plusSeconds(600));
        // no trade row holds T0 + 600 s: the mark row does (and the governor's last measure)
        assertThat(store.load("am").clock()).isEqualTo(T0.plusSeconds(600));
    }
}
