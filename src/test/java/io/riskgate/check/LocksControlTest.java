package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.errors.NotFoundException;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.market.Mark;
import io.riskgate.portfolio.StopOuts;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Engine;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The locks stop-outs put on new entries (controls.cooldown, controls.stoploss_guard; rules/controls.drl) through
 * the live engine: a trade filled, marked through its stop and closed there (CLOSED_SL) locks its symbol for the
 * shipped policy's hour; three stop-outs within a day lock the account for 12 hours; an officer's lift is stored and
 * holds after a restart. Seed 001's order: 0.01 BTC filled at 50,000, stop 50,000 - 1.5 x 1,500 = 47,750.
 */
class LocksControlTest {

    private static final Instant T0 = TestRuntime.T0;

    private static ObjectNode order(String account, String symbol, Instant at) {
        ObjectNode o = Requests.set(Requests.set(Requests.seed001(), "account", account), "market.timestamp",
                at.toString());
        return Requests.set(o, "symbol", symbol);
    }

    /** Checks, fills at 50,000, marks at 47,000 (through the 47,750 stop) and closes at the stop: a stop-out. */
    private static Trade stopOut(RiskgateRuntime rt, String account, String symbol, Instant at) {
        Decision d = rt.engine().check(order(account, symbol, at));
        assertThat(d.approved()).as("check at %s: %s", at, d.codes()).isTrue();
        Trade t = rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(at))).trade();
        rt.exits().mark(new Mark(symbol, 47_000, 47_000, 47_000, at.plusSeconds(60)));
        Trade closed = rt.trades().close(t.id(), new CloseRequest(47_750, OptionalDouble.empty(), Optional.empty(),
                Optional.of(at.plusSeconds(60))));
        assertThat(closed.state()).isEqualTo(TradeState.CLOSED_SL);
        return closed;
    }

    @Test
    void aStopOutLocksItsSymbolForAnHourAndAnOfficerCanLiftIt() {
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(2)));
        DataSource db = TestRuntime.memoryDatabase();
        String account = Engine.freshAccount();
        Instant closedAt = T0.plusSeconds(60);
        try (RiskgateRuntime rt = start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), db, clock)) {
            Trade t = stopOut(rt, account, "BTCUSDT", T0);
            // 10:01 + 1h = 11:01: at 11:00:59 BTCUSDT is still cooling down, ETHUSDT is not
            Decision held = rt.engine().check(order(account, "BTCUSDT", closedAt.plusSeconds(3599)));
            assertThat(held.codes()).containsExactly("SYMBOL_COOLDOWN");
            assertThat(held.rejections().get(0).message()).isEqualTo("no new entry on BTCUSDT until "
                    + closedAt.plusSeconds(3600) + ": trade " + t.id() + " on BTCUSDT was stopped out at " + closedAt
                    + "; controls.cooldown.after_stop_loss PT1H holds new entries on it");
            assertThat(rt.engine().check(order(account, "ETHUSDT", closedAt.plusSeconds(3599))).codes())
                    .doesNotContain("SYMBOL_COOLDOWN");
            TradeService.Locks locks = rt.trades().locks(account);
            assertThat(locks.locks()).singleElement().satisfies(l -> {
                assertThat(l.code()).isEqualTo(StopOuts.COOLDOWN);
                assertThat(l.symbol()).isEqualTo("BTCUSDT");
                assertThat(l.until()).isEqualTo(closedAt.plusSeconds(3600));
            });
            // an officer lifts it: the next BTCUSDT entry passes the cooldown
            TradeService.Locks after = rt.trades().lift(account, StopOuts.COOLDOWN, "btcusdt", "officer-ann",
                    "feed glitch, not a real stop-out");
            assertThat(after.locks()).isEmpty();
            assertThat(after.lifts()).singleElement().satisfies(l -> {
                assertThat(l.actor()).isEqualTo("officer-ann");
                assertThat(l.until()).isEqualTo(closedAt.plusSeconds(3600));
            });
            assertThat(rt.engine().check(order(account, "BTCUSDT", closedAt.plusSeconds(3599))).codes())
                    .doesNotContain("SYMBOL_COOLDOWN");
            assertThatThrownBy(() -> rt.trades().lift(account, StopOuts.COOLDOWN, "BTCUSDT", "officer-ann", "again"))
                    .isInstanceOf(NotFoundException.class);
        }
        // the lift is stored: a new process does not lock BTCUSDT again for the same stop-out
        try (RiskgateRuntime rt = start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), db, clock)) {
            assertThat(rt.trades().locks(account).locks()).isEmpty();
            assertThat(rt.trades().locks(account).lifts()).hasSize(1);
        }
    }

    @Test
    void aStopOutReportedWithAnEarlierCloseTimeLocksFromWhenItWasReported() {
        Engine engine = new Engine();
        engine.clock.set(T0.plus(Duration.ofDays(2)));
        String account = Engine.freshAccount();
        Decision d = engine.check(order(account, "BTCUSDT", T0));
        Trade t = engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(T0))).trade();
        // marked through the stop at T0 + 2 h; the close names T0 + 1 s, its caller's own time
        Instant marked = T0.plus(Duration.ofHours(2));
        engine.rt.exits().mark(new Mark("BTCUSDT", 47_000, 47_000, 47_000, marked));
        Trade closed = engine.rt.trades().close(t.id(), new CloseRequest(47_750, OptionalDouble.empty(),
                Optional.empty(), Optional.of(T0.plusSeconds(1))));
        assertThat(closed.state()).isEqualTo(TradeState.CLOSED_SL);
        // the lock runs from the account's clock when the close came (T0 + 2 h), not from T0 + 1 s
        assertThat(engine.check(order(account, "BTCUSDT", marked.plusSeconds(60))).codes())
                .containsExactly("SYMBOL_COOLDOWN");
        assertThat(engine.rt.trades().locks(account).locks()).singleElement()
                .satisfies(l -> assertThat(l.until()).isEqualTo(marked.plus(Duration.ofHours(1))));
    }

    @Test
    void theCooldownEndsOnTheHourInEventTime() {
        Engine engine = new Engine();
        engine.clock.set(T0.plus(Duration.ofDays(2)));
        String account = Engine.freshAccount();
        stopOut(engine.rt, account, "BTCUSDT", T0);
        // 10:01:00 + 1h = 11:01:00: the lock is in force while since <= t < until
        assertThat(engine.check(order(account, "BTCUSDT", T0.plusSeconds(60 + 3600))).codes())
                .doesNotContain("SYMBOL_COOLDOWN");
    }

    @Test
    void threeStopOutsWithinADayLockTheWholeAccountAndTheLockSurvivesARestart() {
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(2)));
        DataSource db = TestRuntime.memoryDatabase();
        String account = Engine.freshAccount();
        // stop-outs closing at 10:01, 12:01 and 14:01 on three symbols (4h apart, within 1d)
        try (RiskgateRuntime rt = start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), db, clock)) {
            stopOut(rt, account, "BTCUSDT", T0);
            stopOut(rt, account, "ETHUSDT", T0.plus(Duration.ofHours(2)));
            Instant third = T0.plus(Duration.ofHours(4));
            stopOut(rt, account, "SOLUSDT", third);
            // the last closed at 14:01: every symbol is locked until 02:01 the next day, XRPUSDT too
            Decision d = rt.engine().check(order(account, "XRPUSDT", third.plus(Duration.ofHours(2))));
            assertThat(d.codes()).containsExactly("STOPLOSS_GUARD");
            assertThat(d.rejections().get(0).message()).startsWith("account " + account + " is locked until "
                    + third.plusSeconds(60).plus(Duration.ofHours(12)) + ": 3 stop-outs on the account from "
                    + T0.plusSeconds(60) + " to " + third.plusSeconds(60));
        }
        try (RiskgateRuntime rt = start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), db, clock)) {
            Instant lastClose = T0.plus(Duration.ofHours(4)).plusSeconds(60);
            // read back from the store: still locked a second before the end, free at it
            assertThat(rt.engine().check(order(account, "XRPUSDT", lastClose.plus(Duration.ofHours(12))
                    .minusSeconds(1))).codes()).containsExactly("STOPLOSS_GUARD");
            assertThat(rt.engine().check(order(account, "XRPUSDT", lastClose.plus(Duration.ofHours(12)))).codes())
                    .doesNotContain("STOPLOSS_GUARD");
        }
    }

    @Test
    void theGuardCanLockOnlyTheSymbolAndAnOfficerLiftsTheAccountWideOne(@TempDir Path dir) {
        TestRuntime.copyRepoConfig(dir, text -> text.replace("    scope: account", "    scope: symbol"));
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        engine.clock.set(T0.plus(Duration.ofDays(2)));
        String account = Engine.freshAccount();
        for (int i = 0; i < 3; i++) {
            // BTCUSDT stopped out at 10:01, 11:31 and 13:01 (each 1.5 h, past the previous one's 1 h cooldown)
            stopOut(engine.rt, account, "BTCUSDT", T0.plus(Duration.ofMinutes(90L * i)));
        }
        Instant later = T0.plus(Duration.ofHours(5));
        assertThat(engine.check(order(account, "BTCUSDT", later)).codes()).containsExactly("STOPLOSS_GUARD");
        assertThat(engine.check(order(account, "ETHUSDT", later)).codes()).doesNotContain("STOPLOSS_GUARD");
        // no account-wide lock to lift under scope: symbol; the symbol's lifts
        assertThatThrownBy(() -> engine.rt.trades().lift(account, StopOuts.GUARD, null, "officer-ann", "why"))
                .isInstanceOf(NotFoundException.class);
        engine.rt.trades().lift(account, StopOuts.GUARD, "BTCUSDT", "officer-ann", "strategy fixed");
        assertThat(engine.check(order(account, "BTCUSDT", later.plusSeconds(1))).codes())
                .doesNotContain("STOPLOSS_GUARD");
    }

    private static RiskgateRuntime start(Path policies, Path rules, DataSource db, MutableClock clock) {
        return RiskgateRuntime.start(policies, rules, "default", db, clock, new SimpleMeterRegistry());
    }
}
