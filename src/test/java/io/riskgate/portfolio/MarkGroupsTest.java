package io.riskgate.portfolio;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.exits.ExitAction;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.governor.EmergencyInstruction;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A mark over many accounts marks them in groups: a thread takes each account of its group in turn, hands its writes
 * to the group commit and keeps its lock until they are durable, so the accounts' writes share batches without a
 * thread per account (issue 12, the quiet mark). What must hold: every account is marked, one account's refused
 * write fails that account only, and threads holding several accounts never wait on each other.
 *
 * <p>Seed 001's order on BTCUSDT, filled at 50,000 with ATR 1,500: stop 50,000 - 1.5 x 1,500 = 47,750, 1R = 2,250,
 * so a mark between 47,750 and 52,250 (breakeven at +1R) issues no instruction.
 */
@Timeout(120)
class MarkGroupsTest {

    private static final Instant T0 = TestRuntime.T0;
    /** More than two groups of 64. */
    private static final int ACCOUNTS = 150;

    private final DataSource db = TestRuntime.memoryDatabase();
    private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(1)));
    private final RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
            "default", db, clock, new SimpleMeterRegistry());
    private final JdbcTemplate jdbc = new JdbcTemplate(db);
    private int orders;

    @AfterEach
    void close() {
        rt.close();
    }

    private static String account(int i) {
        return String.format("grp-%03d", i);
    }

    /** Seed 001's order on {@code symbol} approved on {@code account} and filled at 50,000 at T0. */
    private Trade filled(String account, String symbol) {
        Decision d = rt.engine().check(set(set(set(Requests.seed001(), "account", account), "symbol", symbol),
                "clientOrderId", "o-" + ++orders));
        assertThat(d.approved()).as("%s", d.codes()).isTrue();
        return rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.of(T0))).trade();
    }

    private Instant lastMarkAt(Trade t) {
        return rt.portfolio().store().trade(t.id()).orElseThrow().progress().lastMarkAt();
    }

    private void assertMemoryIsTheDatabase(String account) {
        Held memory = rt.portfolio().withAccount(account, Held::of);
        assertThat(memory).as(account).isEqualTo(Held.of(rt.portfolio().store().load(account)));
    }

    @Test
    void aMarkOverMoreAccountsThanAGroupMarksEveryOne() {
        List<Trade> trades = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            trades.add(filled(account(i), "BTCUSDT"));
        }
        Instant at = T0.plusSeconds(60);
        // 50,100: a new best price for every trade, no instruction (under breakeven at 52,250)
        assertThat(rt.exits().mark(Mark.at("BTCUSDT", 50_100, at))).isEmpty();

        for (Trade t : trades) {
            assertThat(lastMarkAt(t)).as(t.account()).isEqualTo(at);
        }
        // 52,250 = 50,000 + 1R (2,250): breakeven for every trade, the stop to entry + 0.1% = 50,050: one MOVE_STOP
        // for each account's trade comes back, in the accounts' order, none lost with its group
        List<ExitInstruction> moved = rt.exits().mark(Mark.at("BTCUSDT", 52_250, at.plusSeconds(60)));
        assertThat(moved).extracting(ExitInstruction::account)
                .containsExactlyElementsOf(trades.stream().map(Trade::account).sorted().toList());
        assertThat(moved).allSatisfy(i -> {
            assertThat(i.action()).isEqualTo(ExitAction.MOVE_STOP);
            assertThat(i.stopLoss()).isEqualTo(50_050.0);
        });
        // 56,000 = +2.67R ((56,000 - 50,000) / 2,250), past +2R: half is taken and the ATR trail starts, two more
        // instructions for each trade, linked to the first as the mark read each trade's latest with the trades
        List<ExitInstruction> more = rt.exits().mark(Mark.at("BTCUSDT", 56_000, at.plusSeconds(120)));
        assertThat(more).hasSize(2 * ACCOUNTS);
        // and each trade's history finds its instructions in order (walked back from the trade row, no index by trade)
        for (int i = 0; i < ACCOUNTS; i += 37) {
            assertThat(rt.exits().log().forTrade(trades.get(i).id())).extracting(ExitInstruction::instructionId)
                    .containsExactly(moved.get(i).instructionId(), more.get(2 * i).instructionId(),
                            more.get(2 * i + 1).instructionId());
        }
        for (int i = 0; i < ACCOUNTS; i += 37) {
            assertMemoryIsTheDatabase(account(i));
        }
    }

    /**
     * A real mark that changes every trade (a new worst price each) and, on the same marked equity, trips seed 003's
     * 15 % drawdown breaker, whose emergency is {@code close_all}: the mark's unit writes the trades first and the
     * governor's close after them, so the breaker's close is what every trade row holds, in memory and in the store,
     * and what a close reported later ends as (CLOSED_BREAKER), also after a restart.
     */
    @Test
    void aMarkThatChangesEveryTradeAndTripsTheCloseAllBreakerLeavesEveryTradeToTheBreaker() {
        // more than one group of 64 accounts, four trades each: seed 001's order four times (the policy's 4
        // concurrent trades), each capped at max_position_usd 500 / 50,000 = 0.01 BTC
        int accounts = 70;
        for (int i = 0; i < accounts; i++) {
            rt.portfolio().reportEquity(new EquitySnapshot(account(i), 10_000, T0));
            for (int k = 0; k < 4; k++) {
                filled(account(i), "BTCUSDT");
            }
            // 10,000 -> 8,550 reported with the trades still at their fill: 14.5 % below the peak, under the 15 %
            rt.portfolio().reportEquity(new EquitySnapshot(account(i), 8_550, T0.plusSeconds(30)));
            assertThat(rt.governor().instructions(account(i), true)).as(account(i)).isEmpty();
        }
        // marked at 48,000 (above the 47,750 stop: no exit instruction): each trade's worst price moves, and each
        // loses (50,000 - 48,000) x 0.01 = 20, four 80: equity 8,550 - 80 = 8,470, 15.3 % below 10,000
        Instant at = T0.plusSeconds(60);
        assertThat(rt.exits().mark(Mark.at("BTCUSDT", 48_000, at))).isEmpty();

        for (int i = 0; i < accounts; i++) {
            String account = account(i);
            List<EmergencyInstruction> open = rt.governor().instructions(account, true);
            assertThat(open).as(account).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(EmergencyInstruction.Kind.CLOSE_ALL);
                assertThat(e.tradeIds()).hasSize(4);
            });
            for (String id : open.get(0).tradeIds()) {
                Map<String, Object> row = jdbc.queryForMap("SELECT worst_price, pending_exit FROM trade WHERE id = ?",
                        id);
                assertThat(((Number) row.get("WORST_PRICE")).doubleValue()).as(id).isEqualTo(48_000.0);
                assertThat(row.get("PENDING_EXIT")).as(id).isEqualTo("CLOSED_BREAKER");
            }
            if (i % 23 == 0) {
                assertMemoryIsTheDatabase(account);
            }
        }
        // a restart reads the breaker's close back: the trade's close ends it CLOSED_BREAKER
        String last = account(accounts - 1);
        String tradeId = rt.governor().instructions(last, true).get(0).tradeIds().get(0);
        rt.close();
        try (RiskgateRuntime again = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
                "default", db, clock, new SimpleMeterRegistry())) {
            Trade closed = again.trades().close(tradeId, new CloseRequest(48_000, OptionalDouble.empty(),
                    Optional.empty(), Optional.of(at.plusSeconds(30))));
            assertThat(closed.state()).isEqualTo(TradeState.CLOSED_BREAKER);
        }
    }

    @Test
    void anAccountWhoseWriteIsRefusedFailsAloneAndIsReadAgain() {
        List<Trade> trades = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            trades.add(filled(account(i), "BTCUSDT"));
        }
        // the database refuses any mark of account 70's trade: its unit fails, in the middle of the second group
        jdbc.execute("ALTER TABLE trade ADD CONSTRAINT refuse_70 CHECK (account <> '" + account(70)
                + "' OR last_mark_at IS NULL)");
        Instant at = T0.plusSeconds(60);
        assertThatThrownBy(() -> rt.exits().mark(Mark.at("BTCUSDT", 50_100, at))).hasMessageContaining("REFUSE_70");

        for (Trade t : trades) {
            if (t.account().equals(account(70))) {
                assertThat(lastMarkAt(t)).as("the refused account's trade is as it was").isNull();
            } else {
                assertThat(lastMarkAt(t)).as(t.account()).isEqualTo(at);
            }
        }
        // its book was dropped and read again: memory holds what the store holds, the fill's price
        assertMemoryIsTheDatabase(account(70));
        assertThat(rt.portfolio().store().lastPrices(account(70)).values()).containsExactly(50_000.0);
        assertMemoryIsTheDatabase(account(69));
        assertMemoryIsTheDatabase(account(71));
    }

    @Test
    void marksOnTwoSymbolsAndChecksOnTheSameAccountsAtOnceNeverWaitOnEachOther() throws Exception {
        // each account trades both symbols, so two marks' groups hold overlapping sets of accounts at once
        for (int i = 0; i < ACCOUNTS; i++) {
            filled(account(i), "BTCUSDT");
            filled(account(i), "ETHUSDT");
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
                running.add(threads.submit(() -> {
                    for (int k = 1; k <= 20; k++) {
                        // quiet marks between 50,000 and 50,100, one a second
                        rt.exits().mark(Mark.at(symbol, 50_000 + 5 * k, T0.plusSeconds(k)));
                    }
                    return null;
                }));
            }
            running.add(threads.submit(() -> {
                for (int k = 0; k < 60; k++) {
                    // checks take the same accounts' locks, one at a time, in another order
                    String account = account(ACCOUNTS - 1 - (k * 7) % ACCOUNTS);
                    rt.engine().check(set(set(Requests.seed001(), "account", account), "clientOrderId", "c-" + k));
                }
                return null;
            }));
            for (Future<?> f : running) {
                // a deadlock would hold here; 20 marks of 150 accounts each take well under a second
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        for (int i = 0; i < ACCOUNTS; i += 29) {
            assertMemoryIsTheDatabase(account(i));
        }
    }
}
