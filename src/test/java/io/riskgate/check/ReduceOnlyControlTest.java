package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.errors.ConflictException;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.portfolio.Trade;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Reduce-only orders through the live engine (docs/controls.md): the FIA's "block risk-increasing, allow
 * risk-reducing". Seed 001's order opens 0.01 BTC LONG at 50,000; a reduce-only SHORT of at most 0.01 closes it
 * even while the firm's kill switch is tripped, holds no reservation and cannot be filled as a new position.
 */
class ReduceOnlyControlTest {

    private static final Instant T0 = TestRuntime.T0;

    private static ObjectNode order(String account, Instant at) {
        return Requests.set(Requests.set(Requests.seed001(), "account", account), "market.timestamp", at.toString());
    }

    /** Seed 001's order approved and filled at T0: 0.01 BTC LONG at 50,000. */
    private static Trade openLong(io.riskgate.runtime.RiskgateRuntime rt, String account) {
        Decision open = rt.engine().check(order(account, T0));
        return rt.trades().fill(new FillRequest(open.decisionId(), 50_000, 0.01, Optional.of(T0))).trade();
    }

    private static ObjectNode reduce(String account, Instant at, double quantity) {
        ObjectNode o = order(account, at);
        Requests.set(o, "side", "SHORT");
        Requests.set(o, "reduceOnly", true);
        return Requests.set(o, "quantity", quantity);
    }

    @Test
    void aReducingOrderPassesTheKillSwitchTakesNoSlotAndIsNoPositionOfItsOwn() {
        Engine engine = new Engine();
        engine.clock.set(T0.plusSeconds(3600));
        String account = Engine.freshAccount();
        Trade trade = openLong(engine.rt, account);
        engine.rt.killSwitches().trip("ALL", "officer-ann", "exchange outage");
        try {
            // new risk is refused; reducing the 0.01 LONG is not
            assertThat(engine.check(order(account, T0.plusSeconds(1))).codes()).containsExactly("KILL_SWITCH");
            Decision d = engine.check(reduce(account, T0.plusSeconds(2), 0.01));
            assertThat(d.approved()).as("%s", d.rejections()).isTrue();
            assertThat(d.quantity()).isEqualTo(0.01);
            assertThat(d.notional()).isEqualTo(500.0); // 0.01 x 50,000
            assertThat(d.reduceOnly()).isTrue();
            assertThat(d.stopLoss()).isNull();
            assertThat(d.reservationExpiresAt()).isNull();
            assertThat(engine.rt.portfolio().view(account).reservations()).isEmpty();
            // past the open quantity: the rest would be a new SHORT
            Decision tooMuch = engine.check(reduce(account, T0.plusSeconds(3), 0.02));
            assertThat(tooMuch.codes()).containsExactly("NOT_RISK_REDUCING");
            assertThat(tooMuch.rejections().get(0).message()).isEqualTo("a reduceOnly SHORT of 0.02 BTCUSDT must "
                    + "reduce open LONG positions, and account " + account + " holds 0.0 BTCUSDT LONG that earlier "
                    + "reduce-only approvals do not already hold: the rest would add new risk");
            // it opens nothing: its execution is reported as a close of the trade
            assertThatThrownBy(() -> engine.rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01,
                    Optional.of(T0.plusSeconds(4))))).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("reduceOnly");
            engine.rt.trades().close(trade.id(), new CloseRequest(50_000, OptionalDouble.empty(),
                    Optional.of("reduced under the kill switch"), Optional.of(T0.plusSeconds(4))));
            // nothing left to reduce
            assertThat(engine.check(reduce(account, T0.plusSeconds(5), 0.01)).codes())
                    .containsExactly("NOT_RISK_REDUCING");
        } finally {
            engine.rt.killSwitches().reset("ALL", "officer-ann", "over");
        }
    }

    @Test
    void aPositionIsReducedOnceUntilTheReductionIsCarriedOutOrLapsesAndARestartKeepsTheHold() {
        javax.sql.DataSource db = TestRuntime.memoryDatabase();
        io.riskgate.testing.MutableClock clock = new io.riskgate.testing.MutableClock(T0.plusSeconds(3600));
        String account = Engine.freshAccount();
        try (var rt = start(db, clock)) {
            openLong(rt, account);
            rt.killSwitches().trip("ALL", "officer-ann", "venue outage");
            try {
                // the first reduce-only SHORT holds the 0.01 LONG; a second, and a third, would open a SHORT
                assertThat(rt.engine().check(reduce(account, T0.plusSeconds(1), 0.01)).approved()).isTrue();
                assertThat(rt.engine().check(reduce(account, T0.plusSeconds(2), 0.01)).codes())
                        .containsExactly("NOT_RISK_REDUCING");
                assertThat(rt.engine().check(reduce(account, T0.plusSeconds(3), 0.000001)).codes())
                        .containsExactly("NOT_RISK_REDUCING");
            } finally {
                rt.killSwitches().reset("ALL", "officer-ann", "over");
            }
        }
        try (var rt = start(db, clock)) {
            // read back: the hold lasts the policy's reservation TTL, 5 minutes from T0 + 1 s
            assertThat(rt.engine().check(reduce(account, T0.plusSeconds(300), 0.005)).codes())
                    .containsExactly("NOT_RISK_REDUCING");
            // at T0 + 5 min 1 s the order was never carried out (no close came): the position may be reduced again
            assertThat(rt.engine().check(reduce(account, T0.plusSeconds(301), 0.01)).approved()).isTrue();
        }
    }

    @Test
    void aReducingApprovalAddsNoRiskToTheBudgetsNorAfterARestart() {
        javax.sql.DataSource db = TestRuntime.memoryDatabase();
        io.riskgate.testing.MutableClock clock = new io.riskgate.testing.MutableClock(T0.plusSeconds(3600));
        String account = Engine.freshAccount();
        try (var rt = start(db, clock)) {
            openLong(rt, account);
            Decision reducing = rt.engine().check(reduce(account, T0.plusSeconds(1), 0.005));
            assertThat(reducing.approved()).isTrue();
            // the opening approval's 0.01 x 2,250 = 22.50 at its stop; the reducing one puts nothing at risk
            assertThat(rt.portfolio().firm().totals().dailyRisk()).isEqualTo(22.5);
            assertThatThrownBy(() -> rt.trades().cancel(reducing.decisionId())).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("no reservation");
        }
        // read back from the store (a reducing approval has no stop: it is no approval of new risk)
        try (var rt = start(db, clock)) {
            assertThat(rt.portfolio().firm().totals().dailyRisk()).isEqualTo(22.5);
            assertThat(rt.portfolio().firm().totals().grossExposure()).isEqualTo(500.0);
        }
    }

    private static io.riskgate.runtime.RiskgateRuntime start(javax.sql.DataSource db,
                                                             io.riskgate.testing.MutableClock clock) {
        return io.riskgate.runtime.RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default",
                db, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    @Test
    void aPolicyWithoutTheControlsRulesRefusesReducingOrders(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        TestRuntime.copyRepoConfig(dir, text -> text.replaceAll("\n  - controls\\.drl[^\n]*", ""));
        Engine engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        assertThat(engine.rt.registry().active().policy().ruleFiles()).doesNotContain("controls.drl");
        String account = Engine.freshAccount();
        openLong(engine.rt, account);
        // nothing would judge whether it reduces: refused (fail closed), even for a quantity that would
        Decision d = engine.check(reduce(account, T0.plusSeconds(1), 0.01));
        assertThat(d.codes()).containsExactly("NOT_RISK_REDUCING");
        assertThat(d.rejections().get(0).message()).contains("does not list rules/controls.drl");
    }

    @Test
    void aQuantityGoesOnlyWithReduceOnlyAndAReducingOrderHasNoLevels() {
        Engine engine = new Engine();
        ObjectNode sized = Requests.set(engine.seed001(), "quantity", 0.01);
        assertThatThrownBy(() -> engine.check(sized)).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).problems()).extracting(FieldProblem::field)
                        .containsExactly("quantity"));
        ObjectNode noQuantity = Requests.set(engine.seed001(), "reduceOnly", true);
        Requests.set(noQuantity, "stopLoss", 47_000.0);
        Requests.set(noQuantity, "side", "SHORT");
        Requests.set(noQuantity, "stopLoss", 53_000.0);
        ObjectNode notBoolean = Requests.set(engine.seed001(), "reduceOnly", "yes");
        assertThatThrownBy(() -> engine.check(noQuantity)).isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).problems()).extracting(FieldProblem::field)
                        .containsExactlyInAnyOrder("quantity", "stopLoss"));
        assertThatThrownBy(() -> engine.check(notBoolean)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("reduceOnly: must be true or false");
    }
}
