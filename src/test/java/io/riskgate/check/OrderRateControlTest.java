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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order-rate throttle (controls.order_rate, rules/controls.drl): a scenario decides one order, so the throttle,
 * which counts the checks before one, is tested here. Seed 001's order; each approved check reserves one of the
 * account's four trade slots for 5 minutes, so three checks in a minute leave a slot free and any refusal below is
 * the throttle's.
 */
class OrderRateControlTest {

    private static final Instant T0 = TestRuntime.T0;

    /** The default policy with controls.order_rate replaced by {@code rate} (YAML, four-space indented). */
    private static Path policyWith(Path dir, String rate) {
        // order_rate and what follows it (the price collar) are the end of controls:, the policy's last section
        return TestRuntime.copyRepoConfig(dir, text -> text.substring(0, text.indexOf("  order_rate:"))
                + "  order_rate:\n" + rate);
    }

    /** An engine on the default policy with {@code rate} as its throttle, its clock an hour past T0. */
    private static Engine engine(Path dir, String rate) throws IOException {
        policyWith(dir, rate);
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        engine.clock.set(T0.plusSeconds(3600));
        return engine;
    }

    private static ObjectNode order(String account, Instant at, String strategy) {
        ObjectNode o = Requests.set(Requests.set(Requests.seed001(), "account", account), "market.timestamp",
                at.toString());
        return strategy == null ? o : Requests.set(o, "strategy", strategy);
    }

    @Test
    void theCheckPastTheLimitIsRefusedUntilTheFirstLeavesTheWindow(@TempDir Path dir) throws IOException {
        Engine engine = engine(dir, "    per_account: {max_checks: 3, window: 1m}\n");
        String account = Engine.freshAccount();

        // three checks at T0, +10 s, +20 s: the limit of 3 in a minute is reached, not passed
        for (int s = 0; s <= 20; s += 10) {
            Decision d = engine.check(order(account, T0.plusSeconds(s), null));
            assertThat(d.approved()).as("check at +%d s", s).isTrue();
        }
        // +59.999 s: all three are within (T0 - 0.001 s, T0 + 59.999 s]: refused
        Decision late = engine.check(order(account, T0.plusMillis(59_999), null));
        assertThat(late.approved()).isFalse();
        assertThat(late.codes()).containsExactly("ORDER_RATE_EXCEEDED");
        assertThat(late.rejections().get(0).message()).isEqualTo("account " + account + " had 3 checks decided in "
                + "the PT1M before " + T0.plusMillis(59_999) + " (event time); controls.order_rate.per_account "
                + "allows 3");
        // +60 s: the window is (T0, T0 + 60 s], the first check has left it; the refusal did not count: 2 < 3
        Decision next = engine.check(order(account, T0.plusSeconds(60), null));
        assertThat(next.approved()).isTrue();
        assertThat(next.codes()).doesNotContain("ORDER_RATE_EXCEEDED");
    }

    @Test
    void aStrategyIsThrottledOnItsOwnAndOtherOrdersOfTheAccountPass(@TempDir Path dir) throws IOException {
        Engine engine = engine(dir, "    per_strategy: {max_checks: 2, window: 1m}\n");
        String account = Engine.freshAccount();

        assertThat(engine.check(order(account, T0, "trend_following")).approved()).isTrue();
        assertThat(engine.check(order(account, T0.plusSeconds(1), "trend_following")).approved()).isTrue();
        // the third trend_following check in the minute: refused, naming the strategy
        Decision third = engine.check(order(account, T0.plusSeconds(2), "trend_following"));
        assertThat(third.codes()).containsExactly("ORDER_RATE_EXCEEDED");
        assertThat(third.rejections().get(0).message()).startsWith("strategy trend_following of account " + account
                + " had 2 checks decided");
        // an order of another strategy, and one naming none, are not counted against it (no per_account limit)
        assertThat(engine.check(order(account, T0.plusSeconds(3), "htf")).codes())
                .doesNotContain("ORDER_RATE_EXCEEDED");
        assertThat(engine.check(order(Engine.freshAccount(), T0.plusSeconds(3), "trend_following")).codes())
                .doesNotContain("ORDER_RATE_EXCEEDED");
    }

    @Test
    void theCountSurvivesARestart(@TempDir Path dir) throws IOException {
        policyWith(dir, "    per_account: {max_checks: 2, window: 1m}\n");
        DataSource db = TestRuntime.memoryDatabase();
        MutableClock clock = new MutableClock(T0.plusSeconds(3600));
        String account = Engine.freshAccount();
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            assertThat(rt.engine().check(order(account, T0, null)).approved()).isTrue();
            assertThat(rt.engine().check(order(account, T0.plusSeconds(5), null)).approved()).isTrue();
            assertThat(rt.engine().check(order(account, T0.plusSeconds(6), null)).codes())
                    .containsExactly("ORDER_RATE_EXCEEDED");
        }
        // a new process reads the account's book from the store: its two counted checks, not the refused one
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            assertThat(rt.engine().check(order(account, T0.plusSeconds(30), null)).codes())
                    .containsExactly("ORDER_RATE_EXCEEDED");
            // +60 s: the check at T0 has left the window, the one at +5 s remains: 1 < 2
            assertThat(rt.engine().check(order(account, T0.plusSeconds(60), null)).approved()).isTrue();
        }
    }

    @Test
    void sixtyFourClientsAtOnceGetExactlyTheLimitDecided(@TempDir Path dir) throws Exception {
        Engine engine = engine(dir, "    per_account: {max_checks: 10, window: 1m}\n");
        String account = Engine.freshAccount();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(64);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Decision>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ObjectNode o = Requests.set(order(account, T0, null), "clientOrderId", "c-" + i);
            all.add(pool.submit(() -> {
                go.await();
                return engine.check(o);
            }));
        }
        go.countDown();
        int throttled = 0;
        int approved = 0;
        for (var f : all) {
            Decision d = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            throttled += d.codes().contains("ORDER_RATE_EXCEEDED") ? 1 : 0;
            approved += d.approved() ? 1 : 0;
        }
        pool.shutdown();
        // the account's lock orders them: ten are decided (four approved, taking the four trade slots, six refused
        // MAX_CONCURRENT_TRADES), the other 54 are the throttle's
        assertThat(throttled).isEqualTo(54);
        assertThat(approved).isEqualTo(4);
    }

    private static RiskgateRuntime start(Path dir, DataSource db, MutableClock clock) {
        return RiskgateRuntime.start(dir.resolve("policies"), dir.resolve("rules"), "default", db, clock,
                new SimpleMeterRegistry());
    }
}
