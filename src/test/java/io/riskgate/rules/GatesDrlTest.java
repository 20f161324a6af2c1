package io.riskgate.rules;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.facts.FiredRule;
import io.riskgate.testing.Engine;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rules/gates.drl, rule by rule, through the real engine with the default policy. Each case starts from seed
 * 001's usage example (approved: STRONG, confidence 0.75, price 50,000, ATR 1,500 so ATR/price 0.03, EMA200
 * 48,000, volume 5e9, spread 10 bps, equity 10,000) and changes one input to just inside, then just outside, the
 * rule's threshold. Outside must reject with the rule's own code and nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatesDrlTest {

    private Engine engine;

    @BeforeAll
    void start() {
        engine = new Engine();
    }

    static Stream<Arguments> boundaries() {
        return Stream.of(
                // consensus: the policy accepts UNANIMOUS and STRONG
                Arguments.of("CONSENSUS_NOT_ACCEPTED", "UNANIMOUS accepted", op("signal.consensus", "UNANIMOUS"), false),
                Arguments.of("CONSENSUS_NOT_ACCEPTED", "WEAK refused", op("signal.consensus", "WEAK"), true),
                Arguments.of("CONSENSUS_NOT_ACCEPTED", "SPLIT refused", op("signal.consensus", "SPLIT"), true),
                // min_confidence 0.70, inclusive
                Arguments.of("LOW_CONFIDENCE", "0.70 is enough", op("signal.confidence", 0.70), false),
                Arguments.of("LOW_CONFIDENCE", "0.6999 is not", op("signal.confidence", 0.6999), true),
                // volatile = ATR/price > 0.04; then confidence must reach 0.80.
                // ATR 2,000 / 50,000 = 0.04 exactly: not volatile, 0.75 passes.
                Arguments.of("LOW_CONFIDENCE_HIGH_VOLATILITY", "ATR/price 0.04 is not volatile",
                        op("market.atr", 2_000.0), false),
                // ATR 2,000.5 / 50,000 = 0.04001: volatile, 0.75 < 0.80 refused.
                Arguments.of("LOW_CONFIDENCE_HIGH_VOLATILITY", "ATR/price 0.04001 needs 0.80",
                        op("market.atr", 2_000.5), true),
                // volatile (ATR 2,100 / 50,000 = 0.042) with confidence exactly 0.80 passes, 0.7999 does not
                Arguments.of("LOW_CONFIDENCE_HIGH_VOLATILITY", "volatile with 0.80",
                        both(op("market.atr", 2_100.0), op("signal.confidence", 0.80)), false),
                Arguments.of("LOW_CONFIDENCE_HIGH_VOLATILITY", "volatile with 0.7999",
                        both(op("market.atr", 2_100.0), op("signal.confidence", 0.7999)), true),
                // LONG needs price strictly above EMA200 (50,000)
                Arguments.of("TREND_MISALIGNED", "LONG above EMA200", op("market.ema200", 49_999.99), false),
                Arguments.of("TREND_MISALIGNED", "LONG at EMA200", op("market.ema200", 50_000.0), true),
                // SHORT needs price strictly below EMA200; seed 001's EMA200 48,000 is below the price
                Arguments.of("TREND_MISALIGNED", "SHORT below EMA200",
                        both(op("side", "SHORT"), op("market.ema200", 50_000.01)), false),
                Arguments.of("TREND_MISALIGNED", "SHORT at EMA200",
                        both(op("side", "SHORT"), op("market.ema200", 50_000.0)), true),
                Arguments.of("TREND_MISALIGNED", "SHORT above EMA200 (seed 001 market)", op("side", "SHORT"), true),
                // ATR/price gate 0.05: ATR 2,500 / 50,000 = 0.05 passes, 2,500.5 -> 0.05001 refused.
                // Both are volatile (> 0.04), so confidence 0.90 clears the 0.80 high-volatility bar.
                Arguments.of("VOLATILITY_TOO_HIGH", "ATR/price 0.05",
                        both(op("market.atr", 2_500.0), op("signal.confidence", 0.90)), false),
                Arguments.of("VOLATILITY_TOO_HIGH", "ATR/price 0.05001",
                        both(op("market.atr", 2_500.5), op("signal.confidence", 0.90)), true),
                // min_volume_24h 1,000,000, inclusive
                Arguments.of("LOW_VOLUME", "volume 1,000,000", op("market.volume24h", 1_000_000.0), false),
                Arguments.of("LOW_VOLUME", "volume 999,999.99", op("market.volume24h", 999_999.99), true),
                // max_spread_bps 50, inclusive
                Arguments.of("SPREAD_TOO_WIDE", "spread 50 bps", op("market.spreadBps", 50.0), false),
                Arguments.of("SPREAD_TOO_WIDE", "spread 50.01 bps", op("market.spreadBps", 50.01), true),
                // a caller's entry within 2% of the 50,000 market price: 51,000 is exactly 2% away (with a stop and
                // target around it); 51,000.5 is 2.001% away and refused
                Arguments.of("ENTRY_FAR_FROM_MARKET", "entry 2% above the market",
                        entry(51_000.0), false),
                Arguments.of("ENTRY_FAR_FROM_MARKET", "entry 2.001% above the market",
                        entry(51_000.5), true),
                Arguments.of("ENTRY_FAR_FROM_MARKET", "entry 2% below the market",
                        entry(49_000.0), false),
                Arguments.of("ENTRY_FAR_FROM_MARKET", "entry 2.001% below the market",
                        entry(48_999.5), true),
                // strategies must be declared in the policy
                Arguments.of("UNKNOWN_STRATEGY", "declared strategy", op("strategy", "trend_following"), false),
                Arguments.of("UNKNOWN_STRATEGY", "undeclared strategy", op("strategy", "scalping"), true),
                // oversold_bounce sizes by regime: {bullish: 1.2, normal: 1.0, bearish: 0.5}, default normal
                Arguments.of("UNKNOWN_REGIME", "a regime its sizer maps",
                        both(op("strategy", "oversold_bounce"), op("market.regime", "bearish")), false),
                Arguments.of("UNKNOWN_REGIME", "a regime its sizer does not map",
                        both(op("strategy", "oversold_bounce"), op("market.regime", "sideways")), true),
                Arguments.of("UNKNOWN_REGIME", "no regime: the default, normal",
                        op("strategy", "oversold_bounce"), false),
                Arguments.of("UNKNOWN_REGIME", "a strategy sized by the risk budget ignores the regime",
                        both(op("strategy", "trend_following"), op("market.regime", "sideways")), false),
                Arguments.of("UNKNOWN_REGIME", "an order without a strategy ignores the regime",
                        op("market.regime", "sideways"), false));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("boundaries")
    void gateFiresOnlyOutsideItsThreshold(String code, String label, UnaryOperator<ObjectNode> change,
                                          boolean rejects) {
        Decision d = engine.check(change.apply(engine.seed001()));
        if (rejects) {
            assertThat(d.approved()).isFalse();
            assertThat(d.codes()).containsExactly(code);
            assertThat(d.firedRuleDetails()).extracting(FiredRule::code).contains(code);
        } else {
            assertThat(d.codes()).doesNotContain(code);
            assertThat(d.approved()).as("approved: %s", d.rejections()).isTrue();
        }
    }

    @Test
    void seedExampleFiresNoGate() {
        Decision d = engine.check(engine.seed001());
        assertThat(d.approved()).isTrue();
        assertThat(d.firedRules()).isEmpty();
    }

    @Test
    void everyFailedGateIsReportedTogether() {
        ObjectNode r = engine.seed001();
        set(r, "signal.consensus", "SPLIT");
        set(r, "market.spreadBps", 80.0);
        set(r, "market.volume24h", 10.0);
        Decision d = engine.check(r);
        assertThat(d.codes()).containsExactlyInAnyOrder("CONSENSUS_NOT_ACCEPTED", "SPREAD_TOO_WIDE", "LOW_VOLUME");
        assertThat(d.quantity()).isZero();
    }

    @Test
    void rejectionMessageStatesValueAndThreshold() {
        Decision d = engine.check(set(engine.seed001(), "market.spreadBps", 50.01));
        assertThat(d.rejections().get(0).message())
                .isEqualTo("spread 50.01 bps is above the maximum 50.0 bps");
        assertThat(d.rejections().get(0).rule()).isEqualTo("Spread above maximum");
    }

    @Test
    void unknownRegimeMessageNamesTheRegimeAndTheOnesItsSizerMaps() {
        ObjectNode r = set(set(engine.seed001(), "strategy", "oversold_bounce"), "market.regime", "Sideways");
        Decision d = engine.check(r);
        assertThat(d.rejections()).singleElement().satisfies(x -> {
            assertThat(x.code()).isEqualTo("UNKNOWN_REGIME");
            assertThat(x.rule()).isEqualTo("Market regime not mapped by the sizer");
            assertThat(x.message()).isEqualTo("market regime 'sideways' has no factor in its sizer's regimes "
                    + "{bullish=1.2, normal=1.0, bearish=0.5}: the order cannot be sized in it");
        });
    }

    static UnaryOperator<ObjectNode> op(String path, Object value) {
        return r -> set(r, path, value);
    }

    /** A caller's entry with a stop 1,000 below and a target 2,000 above it (reward:risk 2). */
    static UnaryOperator<ObjectNode> entry(double entry) {
        return r -> set(set(set(r, "entry", entry), "stopLoss", entry - 1_000), "takeProfit", entry + 2_000);
    }

    static UnaryOperator<ObjectNode> both(UnaryOperator<ObjectNode> a, UnaryOperator<ObjectNode> b) {
        return r -> b.apply(a.apply(r));
    }

    static List<String> codes(Decision d) {
        return d.codes();
    }
}
