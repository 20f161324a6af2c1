package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Engine;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duplicate-order control (controls.duplicate_orders, rules/controls.drl), off in the shipped policy and
 * switched on here with a 2 s window: a scenario decides one order, so the control, which compares an order with
 * the approvals before it, is tested through the engine. Seed 001's order: 0.01 BTC, each approval taking one of the
 * account's four trade slots for 5 minutes, so any refusal below is the control's.
 */
class DuplicateOrderControlTest {

    private static final Instant T0 = TestRuntime.T0;

    /** The default policy with controls.duplicate_orders.window 2s. */
    private static Path policy(Path dir) {
        return TestRuntime.copyRepoConfig(dir, text -> text.replace("# duplicate_orders:", "  duplicate_orders:")
                .replace("#   window: 2s", "    window: 2s"));
    }

    private static Engine engine(Path dir) {
        policy(dir);
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        engine.clock.set(T0.plusSeconds(3600));
        return engine;
    }

    private static ObjectNode order(String account, Instant at) {
        return Requests.set(Requests.set(Requests.seed001(), "account", account), "market.timestamp", at.toString());
    }

    @Test
    void theSameOrderWithinTheWindowIsRefusedAndOneLaterPasses(@TempDir Path dir) {
        Engine engine = engine(dir);
        String account = Engine.freshAccount();
        Decision first = engine.check(order(account, T0));
        assertThat(first.approved()).isTrue();

        // +1.999 s: the approval at T0 lies in (T0 - 0.001 s, T0 + 1.999 s]: the same order again is refused
        Decision again = engine.check(order(account, T0.plusMillis(1_999)));
        assertThat(again.codes()).containsExactly("DUPLICATE_ORDER");
        assertThat(again.rejections().get(0).message()).isEqualTo("the same order (BTCUSDT, LONG, quantity 0.01) was "
                + "approved at " + T0 + " by decision " + first.decisionId() + ", within "
                + "controls.duplicate_orders.window PT2S; send a clientOrderId to place a second order on purpose");
        // +2 s: the window is (T0, T0 + 2 s]: the approval at T0 has left it (the refusal is no approval)
        assertThat(engine.check(order(account, T0.plusSeconds(2))).approved()).isTrue();
    }

    @Test
    void anOrderWhoseDataLagsTheAccountsClockIsStillADuplicate(@TempDir Path dir) {
        Engine engine = engine(dir);
        String account = Engine.freshAccount();
        // an ETHUSDT order at T0 + 10 s moves the account's clock; two BTCUSDT orders timed T0 + 5 s follow
        ObjectNode eth = order(account, T0.plusSeconds(10));
        Requests.set(eth, "symbol", "ETHUSDT");
        Requests.set(eth, "market.price", 2_500.0);
        Requests.set(eth, "market.atr", 75.0);
        Requests.set(eth, "market.ema200", 2_400.0);
        engine.check(eth);
        assertThat(engine.check(order(account, T0.plusSeconds(5))).approved()).isTrue();
        // both counted at the account's clock, T0 + 10 s: the second is within the 2 s window of the first
        assertThat(engine.check(order(account, T0.plusSeconds(5))).codes()).containsExactly("DUPLICATE_ORDER");
    }

    @Test
    void anotherSideSymbolOrSizeOrAClientOrderIdIsNoDuplicate(@TempDir Path dir) {
        Engine engine = engine(dir);
        String account = Engine.freshAccount();
        assertThat(engine.check(order(account, T0)).approved()).isTrue();
        // a clientOrderId says the caller means a second order
        Decision withId = engine.check(Requests.set(order(account, T0), "clientOrderId", "second-on-purpose"));
        assertThat(withId.codes()).doesNotContain("DUPLICATE_ORDER");
        assertThat(withId.approved()).isTrue();
        // ETHUSDT: another symbol (its own numbers: ATR 3% of 2,500, EMA under the price)
        ObjectNode eth = order(account, T0);
        Requests.set(eth, "symbol", "ETHUSDT");
        Requests.set(eth, "market.price", 2_500.0);
        Requests.set(eth, "market.atr", 75.0);
        Requests.set(eth, "market.ema200", 2_400.0);
        assertThat(engine.check(eth).codes()).doesNotContain("DUPLICATE_ORDER");
        // a third of the risk (confidence band): another size, 0.01 BTC is capped by the $500 position either way,
        // so a smaller equity changes it instead: 1% of 1,000 = 10 over a 2,250 stop = 0.00444444 BTC
        Decision smaller = engine.check(Requests.set(order(Engine.freshAccount(), T0), "equity", 1_000.0));
        assertThat(smaller.quantity()).isEqualTo(0.00444444);
    }

    @Test
    void aCancelledApprovalIsNoLongerDuplicatedAndApprovalsSurviveARestart(@TempDir Path dir) {
        policy(dir);
        DataSource db = TestRuntime.memoryDatabase();
        MutableClock clock = new MutableClock(T0.plusSeconds(3600));
        String account = Engine.freshAccount();
        String cancelled = Engine.freshAccount();
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            assertThat(rt.engine().check(order(account, T0)).approved()).isTrue();
            Decision c = rt.engine().check(order(cancelled, T0));
            rt.trades().cancel(c.decisionId());
            // cancelled: it never reached the market, so the same order is not a duplicate of it
            assertThat(rt.engine().check(order(cancelled, T0.plusSeconds(1))).approved()).isTrue();
        }
        // a new process reads the approvals back from the store
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            assertThat(rt.engine().check(order(account, T0.plusSeconds(1))).codes())
                    .containsExactly("DUPLICATE_ORDER");
        }
    }

    private static RiskgateRuntime start(Path dir, DataSource db, MutableClock clock) {
        return RiskgateRuntime.start(dir.resolve("policies"), dir.resolve("rules"), "default", db, clock,
                new SimpleMeterRegistry());
    }
}
