package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.facts.Adjustment;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Engine;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily risk budget and the firm limits (controls.daily_risk_budget, controls.firm; rules/controls.drl)
 * through the live engine, where they count the approvals before an order, across accounts and restarts. Seed
 * 001's order: 0.01 BTC at 50,000 (the $500 maximum position), stop 47,750, so each approval puts
 * 0.01 x 2,250 = 22.50 at its stop and holds $500 of gross exposure.
 */
class RiskBudgetControlTest {

    private static final Instant T0 = TestRuntime.T0;

    /** The default policy with its controls' daily_risk_budget and firm limits replaced. */
    private static Path policy(Path dir, String budget, String firm) {
        return TestRuntime.copyRepoConfig(dir, text -> text
                .replace("    max_pct: 0.10 ", "    max_pct: " + budget + " ")
                .replace("    max_gross_exposure: 50000000 ", "    max_gross_exposure: " + firm + " "));
    }

    private static ObjectNode order(String account, Instant at) {
        return Requests.set(Requests.set(Requests.seed001(), "account", account), "market.timestamp", at.toString());
    }

    @Test
    void theDaysApprovalsSpendTheBudgetTheLastIsSizedDownAndACancelGivesItBack(@TempDir Path dir) {
        // max_pct 0.005 of 10,000 = 50 a day: two approvals of 22.50, then 5 left
        policy(dir, "0.005", "50000000");
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(2)));
        DataSource db = TestRuntime.memoryDatabase();
        String account = Engine.freshAccount();
        Decision second;
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            assertThat(rt.engine().check(order(account, T0)).quantity()).isEqualTo(0.01);
            second = rt.engine().check(order(account, T0.plusSeconds(1)));
            assertThat(second.quantity()).isEqualTo(0.01);
            Adjustment used = Engine.adjustment(second, "DAILY_RISK_BUDGET").orElseThrow();
            assertThat(used.reason()).isEqualTo("daily risk used 22.50 of 50.00 (controls.daily_risk_budget.max_pct "
                    + "of equity), left 27.50; this order risks 22.50 at its stop");
            // 5 left: 5 / 2,250 x 50,000 = $111.11, 0.00222222 BTC, the budget binding
            Decision third = rt.engine().check(order(account, T0.plusSeconds(2)));
            assertThat(third.approved()).isTrue();
            assertThat(third.quantity()).isEqualTo(0.00222222);
            assertThat(third.sizing().bindingCap()).isEqualTo("DAILY_RISK_BUDGET");
            // 0.00222222 x 2,250 = 4.999995 taken: 0.000005 left buys far less than the $5 minimum
            Decision fourth = rt.engine().check(order(account, T0.plusSeconds(3)));
            assertThat(fourth.codes()).containsExactly("DAILY_RISK_BUDGET");
        }
        // read back after a restart; cancelling the second approval (never filled) gives its 22.50 back
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            assertThat(rt.engine().check(order(account, T0.plusSeconds(4))).codes())
                    .containsExactly("DAILY_RISK_BUDGET");
            rt.trades().cancel(second.decisionId());
            Decision after = rt.engine().check(order(account, T0.plusSeconds(5)));
            assertThat(after.approved()).isTrue();
            assertThat(after.quantity()).isEqualTo(0.01);
            // the next governor day (00:00 UTC) starts a whole budget: the 4 trade slots are what limits then
            Decision nextDay = rt.engine().check(order(Engine.freshAccount(), T0.plus(Duration.ofDays(1))));
            assertThat(nextDay.quantity()).isEqualTo(0.01);
        }
    }

    @Test
    void ordersTimedJustBeforeMidnightCountInTheDayTheAccountIsIn(@TempDir Path dir) {
        // max_pct 0.0025 of 10,000 = 25 a day. The account's clock is past midnight (an order at 00:00:30); orders
        // timed 23:59:30 the day before (30 s behind it, within market_data.max_age) are approved in its day too
        policy(dir, "0.0025", "50000000");
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        Instant midnight = T0.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofDays(1));
        engine.clock.set(midnight.plusSeconds(3600));
        String account = Engine.freshAccount();
        assertThat(engine.check(order(account, midnight.plusSeconds(30))).quantity()).isEqualTo(0.01);
        // 22.50 used, 2.50 left: 2.50 / 2,250 x 50,000 = $55.56, 0.00111111 BTC
        Decision late = engine.check(order(account, midnight.minusSeconds(30)));
        assertThat(late.quantity()).isEqualTo(0.00111111);
        assertThat(engine.check(order(account, midnight.minusSeconds(29))).codes())
                .containsExactly("DAILY_RISK_BUDGET");
        // the firm's ledger holds all of it: 22.50 + 0.00111111 x 2,250 = 24.9999975
        assertThat(engine.rt.portfolio().firm().others("someone else").dailyRisk()).isCloseTo(24.9999975,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void sixtyFourAccountsAtOnceNeverTogetherPassTheFirmsGrossExposure(@TempDir Path dir) throws Exception {
        // $10,000 for the firm: exactly 20 of the $500 positions, whichever 20 accounts come first
        policy(dir, "0.10", "10000");
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        engine.clock.set(T0.plusSeconds(3600));
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Decision>> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ObjectNode o = order(Engine.freshAccount(), T0);
            all.add(pool.submit(() -> {
                go.await();
                return engine.check(o);
            }));
        }
        go.countDown();
        double approvedNotional = 0;
        int approved = 0;
        int refused = 0;
        for (Future<Decision> f : all) {
            Decision d = f.get(60, TimeUnit.SECONDS);
            approvedNotional += d.approved() ? d.notional() : 0;
            approved += d.approved() ? 1 : 0;
            refused += d.codes().contains("FIRM_EXPOSURE_LIMIT") ? 1 : 0;
        }
        pool.shutdown();
        assertThat(approvedNotional).isEqualTo(10_000.0);
        assertThat(approved).isEqualTo(20);
        assertThat(refused).isEqualTo(44);
        assertThat(engine.rt.portfolio().firm().totals().grossExposure()).isEqualTo(10_000.0);
    }

    @Test
    void theFirmsExposureIsReadBackAfterARestartAndFreedByACancel(@TempDir Path dir) {
        // $1,000: two positions of $500
        policy(dir, "0.10", "1000");
        MutableClock clock = new MutableClock(T0.plusSeconds(3600));
        DataSource db = TestRuntime.memoryDatabase();
        Decision first;
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            first = rt.engine().check(order(Engine.freshAccount(), T0));
            assertThat(rt.engine().check(order(Engine.freshAccount(), T0)).approved()).isTrue();
        }
        try (RiskgateRuntime rt = start(dir, db, clock)) {
            // a third account, in a new process: the two reservations are read back, nothing is left
            Decision third = rt.engine().check(order(Engine.freshAccount(), T0.plusSeconds(1)));
            assertThat(third.codes()).containsExactly("FIRM_EXPOSURE_LIMIT");
            assertThat(third.rejections().get(0).message()).isEqualTo("the firm's gross exposure over every account "
                    + "is 1000.0; controls.firm.max_gross_exposure 1000.0 leaves 0.0, below the minimum position 5.0");
            rt.trades().cancel(first.decisionId());
            assertThat(rt.engine().check(order(Engine.freshAccount(), T0.plusSeconds(2))).quantity())
                    .isEqualTo(0.01);
        }
    }

    private static RiskgateRuntime start(Path dir, DataSource db, MutableClock clock) {
        return RiskgateRuntime.start(dir.resolve("policies"), dir.resolve("rules"), "default", db, clock,
                new SimpleMeterRegistry());
    }
}
