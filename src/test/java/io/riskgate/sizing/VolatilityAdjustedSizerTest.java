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

class VolatilityAdjustedSizerTest {

    /** Base 2%, seed 003's target volatility 200, limits [0.5%, 10%]. */
    private final VolatilityAdjustedSizer sizer = new VolatilityAdjustedSizer(0.02, 200,
            new FractionLimits(0.005, 0.10));

    static Stream<Arguments> volatilities() {
        return Stream.of(
                // realised volatility, raw = 0.02 x 200 / realised, value, bound
                Arguments.of(500, 0.008, 0.008, Bound.NONE),     // seed 003: target 200, market 500 -> x 0.4
                Arguments.of(200, 0.02, 0.02, Bound.NONE),       // at target: the base
                Arguments.of(800, 0.005, 0.005, Bound.NONE),     // on the minimum
                Arguments.of(1_000, 0.004, 0.005, Bound.MIN),    // very volatile: raised to the minimum
                Arguments.of(40, 0.10, 0.10, Bound.NONE),        // on the maximum
                Arguments.of(20, 0.20, 0.10, Bound.MAX));        // very calm: lowered to the maximum
    }

    @ParameterizedTest
    @MethodSource("volatilities")
    void scalesTheBaseByTargetOverRealisedVolatility(double realized, double raw, double value, Bound bound) {
        EquityFraction f = sizer.size(SizingSignals.none().withRealizedVolatility(realized));

        assertThat(f.raw()).isCloseTo(raw, within(1e-15));
        assertThat(f.value()).isCloseTo(value, within(1e-15));
        assertThat(f.bound()).isEqualTo(bound);
    }

    @Test
    void needsTheRealisedVolatility() {
        assertThatThrownBy(() -> sizer.size(SizingSignals.none()))
                .hasMessage("VolatilityAdjustedSizer needs the realizedVolatility signal");
    }

    @Test
    void rejectsANonPositiveTarget() {
        assertThatThrownBy(() -> new VolatilityAdjustedSizer(0.02, 0, new FractionLimits(0, 1)))
                .hasMessage("targetVolatility must be a finite number > 0, was 0.0");
    }
}
