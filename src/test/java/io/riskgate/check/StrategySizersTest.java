package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-strategy sizers (seed 004's overrides) through the engine: a policy copy gives news_driven, arbitrage,
 * market_making and htf their own sizing method; oversold_bounce sizes by market regime as the default policy
 * ships it (seed 003). Seed 001's order (equity 10,000, price 50,000, ATR 1,500,
 * confidence 0.75) for each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrategySizersTest {

    private Engine engine;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        String y = Files.readString(yaml)
                .replace("  arbitrage: {}", "  arbitrage:\n    sizer: {method: fixed_fraction, base_fraction: 0.03, "
                        + "min_fraction: 0.005, max_fraction: 0.10}")
                .replace("  news_driven: {}", "  news_driven:\n    sizer: {method: confidence_weighted, "
                        + "base_fraction: 0.02, min_fraction: 0.005, max_fraction: 0.10, confidence_key: confidence}")
                .replace("  market_making: {}", "  market_making:\n    sizer: {method: kelly, kelly_fraction: 0.5, "
                        + "min_fraction: 0.001, max_fraction: 0.04}")
                .replace("    stop_loss_pct: 0.02\n", "    stop_loss_pct: 0.02\n    sizer: {method: volatility_adjusted, "
                        + "base_fraction: 0.02, target_volatility: 0.01, min_fraction: 0.005, max_fraction: 0.04}\n");
        Files.writeString(yaml, y);
        engine = new Engine(dir.resolve("policies"), dir.resolve("rules"));
    }

    private Decision check(String strategy) {
        ObjectNode r = engine.seed001();
        Requests.set(r, "strategy", strategy);
        return engine.check(r);
    }

    @Test
    void fixedFractionSizesAShareOfEquity() {
        // 3% of 10,000 = 300 = 0.006 BTC at 50,000; its risk at the 47,750 stop is 0.006 x 2,250 = 13.5
        Decision d = check("arbitrage");
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.quantity()).isCloseTo(0.006, within(1e-12));
        assertThat(d.sizing().bindingCap()).isEqualTo("SIZER");
        assertThat(d.riskAmount()).isCloseTo(13.5, within(1e-9));
    }

    @Test
    void confidenceWeightedScalesTheBaseFractionByTheSignalsConfidence() {
        // 2% x 0.75 = 1.5% of 10,000 = 150 = 0.003 BTC
        assertThat(check("news_driven").quantity()).isCloseTo(0.003, within(1e-12));
        // at confidence 0.20 the 0.4% is raised to min_fraction 0.5% = 50 = 0.001 BTC (and the gate rejects it)
        ObjectNode low = engine.seed001();
        Requests.set(low, "strategy", "news_driven");
        Requests.set(low, "signal.confidence", 0.20);
        Decision d = engine.check(low);
        assertThat(d.sizing().notional()).isCloseTo(50, within(1e-9));
    }

    @Test
    void kellyWithoutEnoughClosedTradesUsesTheMinimumFraction() {
        // a fresh account has no closed trades (the governor's win rate needs 10): min_fraction 0.1% = 10 = 0.0002 BTC
        Decision d = check("market_making");
        assertThat(d.sizing().notional()).isCloseTo(10, within(1e-9));
        assertThat(d.sizing().bindingCap()).isEqualTo("SIZER");
    }

    @Test
    void volatilityAdjustedWithoutBarsIsRefusedAsInsufficientMarketData() {
        Decision d = check("htf");
        assertThat(d.codes()).containsExactly("INSUFFICIENT_MARKET_DATA");
        assertThat(d.rejections().get(0).message()).contains("realized volatility");
    }

    /** oversold_bounce as policies/default.yaml ships it: regime_based, 2%, {bullish 1.2, normal 1.0, bearish 0.5}. */
    static Stream<Arguments> regimes() {
        return Stream.of(
                // seed 003's market_regime {'trend': 'bullish', 'risk_multiplier': 1.2}: 2% x 1.2 = 2.4% of 10,000
                // = 240 USD; 240 / 50,000 = 0.0048 BTC. Every cap is larger: MAX_POSITION_USD 500, the strategy's
                // 10% row 1,000, MAX_RISK 1.5% x 10,000 / 2,250 x 50,000 = 3,333.33, ASSET_CONCENTRATION 2,500,
                // MAX_EXPOSURE 8,000, MAX_LEVERAGE 300,000: the sizer's 240 binds. Loss at the 47,750 stop:
                // 0.0048 x 2,250 = 10.80
                Arguments.of("bullish", 240.0, 0.0048, 10.8),
                Arguments.of("BULLISH", 240.0, 0.0048, 10.8),
                // no regime: default_regime normal (seed 004's regime='normal'), 2% x 1.0 = 200 = 0.004 BTC, loses 9
                Arguments.of(null, 200.0, 0.004, 9.0),
                Arguments.of("normal", 200.0, 0.004, 9.0),
                // 2% x 0.5 = 1% = 100 = 0.002 BTC, loses 4.50
                Arguments.of("bearish", 100.0, 0.002, 4.5));
    }

    @ParameterizedTest(name = "regime {0}")
    @MethodSource("regimes")
    void regimeBasedSizesTheBaseFractionTimesTheFactorOfTheOrdersRegime(String regime, double notional,
                                                                        double quantity, double lossAtStop) {
        ObjectNode r = Requests.set(engine.seed001(), "strategy", "oversold_bounce");
        Requests.set(r, "market.regime", regime);

        Decision d = engine.check(r);

        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        assertThat(d.notional()).isCloseTo(notional, within(1e-9));
        assertThat(d.quantity()).isCloseTo(quantity, within(1e-12));
        assertThat(d.sizing().bindingCap()).isEqualTo("SIZER");
        assertThat(d.sizing().riskAtStop()).isCloseTo(lossAtStop, within(1e-9));
        assertThat(d.stopLoss()).isEqualTo(47_750.0);
        assertThat(Engine.cap(d, "MAX_RISK")).isCloseTo(3_333.333333, within(1e-6));
        assertThat(Engine.cap(d, "STRATEGY_MAX_POSITION")).isEqualTo(1_000.0);
    }

    @Test
    void anUnmappedRegimeIsRejectedByItsRuleNotAnEngineError() {
        ObjectNode r = Requests.set(engine.seed001(), "strategy", "oversold_bounce");
        Requests.set(r, "market.regime", "sideways");

        Decision d = engine.check(r);

        assertThat(d.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(d.codes()).containsExactly("UNKNOWN_REGIME");
        assertThat(d.quantity()).isZero();
        // sized at min_fraction for the record: 0.5% of 10,000 = 50
        assertThat(d.sizing().notional()).isCloseTo(50, within(1e-9));
    }

    @Test
    void anUnmappedRegimeNoRuleRejectsFailsClosed(@TempDir Path dir) throws IOException {
        // a gates.drl without the UNKNOWN_REGIME rule (one written before it): the sizer cannot size the order and
        // the check fails closed, never sized on a made-up factor
        TestRuntime.copyRepoConfig(dir);
        Path gates = dir.resolve("rules/gates.drl");
        String drl = Files.readString(gates);
        int rule = drl.indexOf("rule \"Market regime not mapped by the sizer\"");
        assertThat(rule).isPositive();
        Files.writeString(gates, drl.substring(0, rule));
        Engine without = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        ObjectNode r = Requests.set(without.seed001(), "strategy", "oversold_bounce");
        Requests.set(r, "market.regime", "sideways");

        Decision d = without.check(r);

        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.codes()).containsExactly("ENGINE_ERROR");
        assertThat(d.rejections().get(0).message())
                .endsWith("no factor for regime sideways; have [bearish, bullish, normal]");
        // a mapped regime still sizes as usual: 2.4% = 0.0048 BTC
        Requests.set(r, "market.regime", "bullish");
        Requests.set(r, "account", Engine.freshAccount());
        assertThat(without.check(r).quantity()).isCloseTo(0.0048, within(1e-12));
    }

    @Test
    void aPolicyWideRegimeSizerReadsTheRegimeOfEveryOrderWithoutASizerOfItsOwn(@TempDir Path dir)
            throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("  max_position_usd: 500\n",
                "  max_position_usd: 500\n  sizer: {method: regime_based, base_fraction: 0.01, regimes: {calm: 1.5, "
                        + "stormy: 0.25}, default_regime: calm, min_fraction: 0.001, max_fraction: 0.05}\n"));
        Engine policyWide = new Engine(dir.resolve("policies"), dir.resolve("rules"));

        // no strategy, no regime: calm, 1% x 1.5 = 1.5% = 150 = 0.003 BTC
        assertThat(policyWide.check(policyWide.seed001()).quantity()).isCloseTo(0.003, within(1e-12));
        // trend_following has no sizer of its own: stormy, 1% x 0.25 = 0.25% = 25 = 0.0005 BTC
        ObjectNode stormy = Requests.set(policyWide.seed001(), "strategy", "trend_following");
        Requests.set(stormy, "market.regime", "stormy");
        assertThat(policyWide.check(stormy).quantity()).isCloseTo(0.0005, within(1e-12));
        // oversold_bounce keeps its own sizer, whose regimes do not include calm
        ObjectNode own = Requests.set(policyWide.seed001(), "strategy", "oversold_bounce");
        Requests.set(own, "market.regime", "calm");
        assertThat(policyWide.check(own).codes()).containsExactly("UNKNOWN_REGIME");
        // an undeclared strategy falls back to the policy's sizer: both of its problems are reported
        ObjectNode undeclared = Requests.set(policyWide.seed001(), "strategy", "scalping");
        Requests.set(undeclared, "market.regime", "bullish");
        assertThat(policyWide.check(undeclared).codes()).containsExactlyInAnyOrder("UNKNOWN_STRATEGY",
                "UNKNOWN_REGIME");
    }

    @Test
    void aPolicyWideSizerSizesEveryStrategyWithoutItsOwn(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path yaml = dir.resolve("policies/default.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("  max_position_usd: 500\n",
                "  max_position_usd: 500\n  sizer: {method: fixed_fraction, base_fraction: 0.02, min_fraction: 0.005, "
                        + "max_fraction: 0.10}\n"));
        Engine policyWide = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        // 2% of 10,000 = 200 = 0.004 BTC, for an order naming no strategy and for trend_following alike
        assertThat(policyWide.check(policyWide.seed001()).quantity()).isCloseTo(0.004, within(1e-12));
        ObjectNode trend = Requests.set(policyWide.seed001(), "strategy", "trend_following");
        assertThat(policyWide.check(trend).sizing().bindingCap()).isEqualTo("SIZER");
    }
}
