package io.riskgate.rules;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.decision.Decision;
import io.riskgate.testing.Engine;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * rules/confidence-bands.drl.xlsx, row by row (seed 001: x1.5 at confidence >= 0.85, x0.5 below 0.60). The risk
 * budget shows the factor: 1% of 10,000 = 100 normally, 150 at x1.5, and 0.5% = 50 at x0.5 (min risk 0.5%).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfidenceBandsTableTest {

    private Engine engine;

    @BeforeAll
    void start() {
        engine = new Engine();
    }

    @Test
    void highConfidenceRowFiresAtExactly085() {
        Decision d = engine.check(set(engine.seed001(), "signal.confidence", 0.85));
        assertThat(Engine.adjustment(d, "SIZE_HIGH_CONFIDENCE")).hasValueSatisfying(a -> {
            assertThat(a.factor()).isEqualTo(1.5);
            assertThat(a.rule()).isEqualTo("High confidence: risk x1.5");
        });
        // 1% x 1.5 = 1.5% of 10,000 = 150 (max_risk_pct 1.5% is not exceeded)
        assertThat(d.riskAmount()).isEqualTo(150.0);
        assertThat(d.approved()).isTrue();
    }

    @Test
    void highConfidenceRowDoesNotFireJustBelow085() {
        Decision d = engine.check(set(engine.seed001(), "signal.confidence", 0.8499));
        assertThat(d.adjustments()).isEmpty();
        assertThat(d.riskAmount()).isEqualTo(100.0);
    }

    @Test
    void lowConfidenceRowFiresJustBelow060() {
        // 0.5999 is also below min_confidence 0.70, so the order is rejected; the audit still records the factor
        Decision d = engine.check(set(engine.seed001(), "signal.confidence", 0.5999));
        assertThat(Engine.adjustment(d, "SIZE_LOW_CONFIDENCE")).hasValueSatisfying(a ->
                assertThat(a.factor()).isEqualTo(0.5));
        // 1% x 0.5 = 0.5% of 10,000 = 50
        assertThat(d.riskAmount()).isEqualTo(50.0);
        assertThat(d.codes()).containsExactly("LOW_CONFIDENCE");
    }

    @Test
    void lowConfidenceRowDoesNotFireAt060() {
        Decision d = engine.check(set(engine.seed001(), "signal.confidence", 0.60));
        assertThat(Engine.adjustment(d, "SIZE_LOW_CONFIDENCE")).isEmpty();
        assertThat(d.riskAmount()).isEqualTo(100.0);
    }

    @Test
    void noRowFiresWhenSignalQualityAdjustmentIsOff(@TempDir Path dir) throws IOException {
        TestRuntime.copyRepoConfig(dir);
        Path policy = dir.resolve("policies/default.yaml");
        Files.writeString(policy, Files.readString(policy)
                .replace("signal_quality_adjustment: true", "signal_quality_adjustment: false"));
        Engine off = new Engine(dir.resolve("policies"), dir.resolve("rules"));
        Decision d = off.check(set(off.seed001(), "signal.confidence", 0.95));
        assertThat(d.adjustments()).isEmpty();
        assertThat(d.riskAmount()).isEqualTo(100.0);
    }
}
