package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-strategy sizers (seed 004's overrides) through the engine: a policy copy gives news_driven, arbitrage,
 * market_making and htf their own sizing method. Seed 001's order (equity 10,000, price 50,000, ATR 1,500,
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
