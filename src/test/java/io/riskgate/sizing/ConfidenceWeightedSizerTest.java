package io.riskgate.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.sizing.EquityFraction.Bound;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfidenceWeightedSizerTest {

    /** Seed 004's experimental strategy B: base 0.5%, min 0.1%, max 1%. */
    private final ConfidenceWeightedSizer experimental = new ConfidenceWeightedSizer(0.005,
            new FractionLimits(0.001, 0.01));

    static Stream<Arguments> confidences() {
        return Stream.of(
                // confidence, raw = 0.005 x confidence, value, bound
                Arguments.of(1.0, 0.005, 0.005, Bound.NONE),
                Arguments.of(0.8, 0.004, 0.004, Bound.NONE),
                Arguments.of(0.2, 0.001, 0.001, Bound.NONE),      // on the minimum
                Arguments.of(0.1, 0.0005, 0.001, Bound.MIN),      // raised to the minimum
                Arguments.of(0.0, 0.0, 0.001, Bound.MIN));        // seed 004: min(max(base x c, min), max)
    }

    @ParameterizedTest
    @MethodSource("confidences")
    void scalesTheBaseByConfidenceWithinTheLimits(double confidence, double raw, double value, Bound bound) {
        EquityFraction f = experimental.size(SizingSignals.none().withConfidence(confidence));

        assertThat(f.raw()).isCloseTo(raw, within(1e-15));
        assertThat(f.value()).isCloseTo(value, within(1e-15));
        assertThat(f.bound()).isEqualTo(bound);
    }

    @Test
    void aBaseAboveTheMaximumIsLowered() {
        // base 20% with the 10% maximum: confidence 0.9 gives 0.18 -> 0.10; 0.5 gives exactly 0.10
        ConfidenceWeightedSizer s = new ConfidenceWeightedSizer(0.2, new FractionLimits(0.005, 0.10));

        assertThat(s.size(SizingSignals.none().withConfidence(0.9)).bound()).isEqualTo(Bound.MAX);
        assertThat(s.size(SizingSignals.none().withConfidence(0.9)).value()).isEqualTo(0.10);
        assertThat(s.size(SizingSignals.none().withConfidence(0.5)).bound()).isEqualTo(Bound.NONE);
    }

    @Test
    void needsTheConfidence() {
        assertThatThrownBy(() -> experimental.size(SizingSignals.none()))
                .hasMessage("ConfidenceWeightedSizer needs the confidence signal");
    }
}
