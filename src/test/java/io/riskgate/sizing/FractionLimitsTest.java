package io.riskgate.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.sizing.EquityFraction.Bound;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FractionLimitsTest {

    /** Seed 004's proven strategy: min 0.5%, max 10%. */
    private final FractionLimits limits = new FractionLimits(0.005, 0.10);

    static Stream<Arguments> clamps() {
        return Stream.of(
                Arguments.of(0.004, 0.005, Bound.MIN),     // below min: raised
                Arguments.of(0.005, 0.005, Bound.NONE),    // on min: kept
                Arguments.of(0.05, 0.05, Bound.NONE),
                Arguments.of(0.10, 0.10, Bound.NONE),      // on max: kept
                Arguments.of(0.11, 0.10, Bound.MAX),       // above max: lowered
                Arguments.of(-0.2, 0.005, Bound.MIN));
    }

    @ParameterizedTest
    @MethodSource("clamps")
    void clampsIntoTheLimitsSayingWhichBoundApplied(double raw, double value, Bound bound) {
        assertThat(limits.clamp(raw)).isEqualTo(new EquityFraction(value, raw, bound));
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of(-0.01, 0.1, "min must be in [0.0, 1.0], was -0.01"),
                Arguments.of(0.0, 1.5, "max must be in [0.0, 1.0], was 1.5"),
                Arguments.of(0.2, 0.1, "min must be <= max, was 0.2 > 0.1"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void rejectsLimitsOutsideZeroToOneOrCrossed(double min, double max, String message) {
        assertThatThrownBy(() -> new FractionLimits(min, max)).hasMessage(message);
    }

    @Test
    void equalMinAndMaxFixTheFraction() {
        assertThat(new FractionLimits(0.02, 0.02).clamp(0.5).value()).isEqualTo(0.02);
    }
}
