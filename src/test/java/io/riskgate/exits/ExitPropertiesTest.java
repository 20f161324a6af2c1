package io.riskgate.exits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.market.Mark;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import io.riskgate.rules.CompiledPolicy;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The exit rules over random price paths (jqwik): bars that drift up to 2% a step with wicks up to 1%, for longs and
 * shorts, with and without a seed 002 percentage trail, under the governor's tightening factors of seed 004.
 * Whatever the path: a stop never loosens, it always sits behind the trade's best price since entry (below for a
 * long, above for a short), the exit stages only move forward, and a closed trade's R-multiple is its P&L over its
 * initial risk.
 */
class ExitPropertiesTest {

    private static CompiledPolicy policy;

    @BeforeContainer
    static void compile() {
        policy = ExitFixtures.defaultPolicy();
    }

    /** One bar: the move of its price from the last one, its wicks above and below, minutes since the last. */
    record Step(double move, double upperWick, double lowerWick, int minutes) {
    }

    record Scenario(Side side, String strategy, double tightening, List<Step> steps) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.doubles().between(-0.02, 0.02),
                Arbitraries.doubles().between(0, 0.01), Arbitraries.doubles().between(0, 0.01),
                Arbitraries.integers().between(1, 240)).as(Step::new);
        return Combinators.combine(Arbitraries.of(Side.class),
                Arbitraries.of("none", "trend_following", "htf", "arbitrage"),
                Arbitraries.of(1.0, 1.2, 1.4, 1.6), step.list().ofMinSize(1).ofMaxSize(80)).as(Scenario::new);
    }

    // edge cases (all moves 0, all at the extremes) are mixed in, not allowed to use up every try
    @Property(tries = 400, edgeCases = EdgeCasesMode.MIXIN)
    void stopsOnlyTightenStayBehindTheBestPriceAndRMultiplesMatchPnl(@ForAll("scenarios") Scenario s) {
        int sign = s.side().sign();
        String strategy = s.strategy().equals("none") ? null : s.strategy();
        // seed 002's stops for the trailing strategies, seed 001's 1.5 ATR stop (ATR 1,500) otherwise
        double stopDistance = "trend_following".equals(strategy) ? 500 : "htf".equals(strategy) ? 1_000 : 2_250;
        Trade trade = Trade.opened("t", "d", "acc", "BTCUSDT", "BTC", strategy, s.side(), 0.01, 50_000,
                50_000 - sign * stopDistance, 50_000 + sign * 2.5 * stopDistance, 1_500.0, ExitFixtures.T0);
        double price = 50_000;
        Instant at = ExitFixtures.T0;
        double pnl = 0;     // independently: sum of quantity x signed move of each close
        double rSum = 0;    // independently: sum of quantity x R of each close
        for (Step step : s.steps()) {
            price = Math.max(1, price * (1 + step.move()));
            at = at.plusSeconds(step.minutes() * 60L);
            Mark m = new Mark("BTCUSDT", price, price * (1 + step.upperWick()), price * (1 - step.lowerWick()), at);
            ExitEvaluator.Outcome o = ExitEvaluator.evaluate(policy, trade, m, s.tightening());
            Trade next = o.trade();

            assertThat(sign * (next.stopLoss() - trade.stopLoss())).as("the stop never loosens").isGreaterThanOrEqualTo(0);
            assertThat(sign * (next.progress().bestPrice() - next.stopLoss())).as("the stop sits behind the best price")
                    .isGreaterThan(0);
            assertThat(sign * (next.progress().bestPrice() - trade.progress().bestPrice())).as("best only improves")
                    .isGreaterThanOrEqualTo(0);
            assertThat(stage(next.state())).as("stages only move forward").isGreaterThanOrEqualTo(stage(trade.state()));

            boolean closed = false;
            for (ExitInstruction i : o.instructions()) {
                if (i.action() == ExitAction.CLOSE_PARTIAL || i.action() == ExitAction.CLOSE) {
                    double qty = i.action() == ExitAction.CLOSE ? next.openQuantity() : i.quantity();
                    double remaining = i.action() == ExitAction.CLOSE ? 0
                            : java.math.BigDecimal.valueOf(next.openQuantity())
                                    .subtract(java.math.BigDecimal.valueOf(qty)).doubleValue();
                    pnl += qty * sign * (i.price() - 50_000);
                    rSum += qty * sign * (i.price() - 50_000) / stopDistance;
                    next = next.withClose(qty, i.price(), at, remaining, next.progress().pendingExit() == null
                            ? TradeState.CLOSED_MANUAL : next.progress().pendingExit());
                    closed = next.state().isClosed();
                }
            }
            trade = next;
            if (closed) {
                break;
            }
        }
        if (!trade.state().isClosed()) {
            pnl += trade.openQuantity() * sign * (price - 50_000);
            rSum += trade.openQuantity() * sign * (price - 50_000) / stopDistance;
            trade = trade.withClose(trade.openQuantity(), price, at, 0, TradeState.CLOSED_MANUAL);
        }
        assertThat(trade.state().isClosed()).isTrue();
        assertThat(trade.realizedPnl()).isCloseTo(pnl, within(1e-6));
        // R-multiple = P&L / (1R x quantity)
        assertThat(trade.realizedR()).isCloseTo(rSum / 0.01, within(1e-6));
        assertThat(trade.realizedR() * stopDistance * 0.01).isCloseTo(trade.realizedPnl(), within(1e-6));
        assertThat(trade.result()).isEqualTo(io.riskgate.portfolio.TradeResult.of(trade.realizedPnl()));
    }

    private static int stage(TradeState s) {
        return switch (s) {
            case OPEN -> 0;
            case BREAKEVEN -> 1;
            case PARTIAL_TP -> 2;
            case TRAILING -> 3;
            default -> 4;
        };
    }
}
