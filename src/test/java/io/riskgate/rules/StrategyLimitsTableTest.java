package io.riskgate.rules;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.decision.Decision;
import io.riskgate.facts.FiredRule;
import io.riskgate.testing.Engine;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rules/strategy-limits.drl.xlsx, row by row (seed 002's max position per strategy, and seed 003's 10% for its
 * oversold_bounce; leverage 1.2x trend_following, 1.0x htf, blank for the others). A row's boundary is its key: it
 * fires for its own strategy only, never for another strategy or for an order without one. Its limits appear as caps
 * on equity 10,000.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrategyLimitsTableTest {

    private Engine engine;

    @BeforeAll
    void start() {
        engine = new Engine();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // strategy, max position cap = pct x 10,000, leverage cap = x x 10,000 (NaN: row leaves it blank)
                Arguments.of("trend_following", 1_500.0, 12_000.0),  // 0.15, 1.2
                Arguments.of("htf", 2_000.0, 10_000.0),              // 0.20, 1.0
                Arguments.of("arbitrage", 500.0, Double.NaN),        // 0.05
                Arguments.of("market_making", 800.0, Double.NaN),    // 0.08
                Arguments.of("news_driven", 1_200.0, Double.NaN),    // 0.12
                Arguments.of("oversold_bounce", 1_000.0, Double.NaN)); // 0.10, seed 003's max position size
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rowFiresForItsStrategyAndSetsItsLimits(String strategy, double maxPosition, double maxLeverage) {
        Decision d = engine.check(set(engine.seed001(), "strategy", strategy));
        assertThat(d.firedRules()).containsExactly("Strategy limits: " + strategy);
        assertThat(d.firedRuleDetails()).extracting(FiredRule::code).containsExactly("STRATEGY_LIMITS");
        assertThat(Engine.cap(d, "STRATEGY_MAX_POSITION")).isEqualTo(maxPosition);
        if (Double.isNaN(maxLeverage)) {
            assertThat(d.sizing().caps()).extracting(c -> c.name().name()).doesNotContain("STRATEGY_MAX_LEVERAGE");
        } else {
            assertThat(Engine.cap(d, "STRATEGY_MAX_LEVERAGE")).isEqualTo(maxLeverage);
        }
        assertThat(d.approved()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rowDoesNotFireForAnotherStrategy(String strategy) {
        String other = strategy.equals("htf") ? "arbitrage" : "htf";
        Decision d = engine.check(set(engine.seed001(), "strategy", other));
        assertThat(d.firedRules()).doesNotContain("Strategy limits: " + strategy);
    }

    @Test
    void noRowFiresWithoutAStrategy() {
        Decision d = engine.check(engine.seed001());
        assertThat(d.firedRules()).isEmpty();
        assertThat(d.sizing().caps()).extracting(c -> c.name().name()).doesNotContain("STRATEGY_MAX_POSITION");
    }

    @Test
    void strategyStopPercentReplacesTheAtrStop() {
        // trend_following stop 1% of 50,000 = 500 -> stop 49,500; no take_profit_pct, so target = entry + 2.5 x 500
        // = 51,250. Risk 100 / 500 = 0.2 BTC = 10,000, capped by the 500 max position -> 0.01 BTC.
        Decision d = engine.check(set(engine.seed001(), "strategy", "trend_following"));
        assertThat(d.stopLoss()).isEqualTo(49_500.0);
        assertThat(d.takeProfit()).isEqualTo(51_250.0);
        assertThat(d.sizing().stopSource().name()).isEqualTo("STRATEGY_PCT");
        assertThat(d.quantity()).isEqualTo(0.01);
    }
}
