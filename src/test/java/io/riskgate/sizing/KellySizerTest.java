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

class KellySizerTest {

    private static final FractionLimits WIDE = new FractionLimits(0, 1);

    @Test
    void fullKellyOfWikipediasEvenMoneyExample() {
        // Wikipedia, "Kelly criterion": p = 0.6, b = 1 (even odds): f* = 0.6 - 0.4 / 1 = 0.20
        EquityFraction f = new KellySizer(1, WIDE).size(SizingSignals.none().withEdge(0.6, 1));

        assertThat(f.value()).isCloseTo(0.20, within(1e-15));
        assertThat(f.bound()).isEqualTo(Bound.NONE);
    }

    @Test
    void halfKellyOfSeed003sHistoryIsCappedByTheMaximum() {
        // seed 003: win_rate 0.6, avg_win 100, avg_loss 50 -> b = 2; f* = 0.6 - 0.4 / 2 = 0.40; half: 0.20;
        // seed 004's 10% max per position binds
        EquityFraction f = KellySizer.halfKelly(new FractionLimits(0.005, 0.10))
                .size(SizingSignals.none().withEdge(0.6, 100.0 / 50));

        assertThat(f.raw()).isCloseTo(0.20, within(1e-15));
        assertThat(f.value()).isEqualTo(0.10);
        assertThat(f.bound()).isEqualTo(Bound.MAX);
    }

    static Stream<Arguments> edges() {
        return Stream.of(
                // p, b, half-Kelly raw, value with limits [0.005, 0.10], bound
                Arguments.of(0.55, 1.0, 0.05, 0.05, Bound.NONE),        // 0.5 x (0.55 - 0.45)
                Arguments.of(0.51, 1.0, 0.01, 0.01, Bound.NONE),        // 0.5 x 0.02
                Arguments.of(0.505, 1.0, 0.005, 0.005, Bound.NONE),     // on the minimum
                Arguments.of(0.502, 1.0, 0.002, 0.005, Bound.MIN),      // a thin edge is raised to the minimum
                Arguments.of(0.70, 1.0, 0.20, 0.10, Bound.MAX),         // 0.5 x 0.40
                Arguments.of(0.50, 1.0, 0.0, 0.0, Bound.NO_EDGE),       // break-even: no trade, not the minimum
                Arguments.of(0.40, 1.0, -0.10, 0.0, Bound.NO_EDGE),     // negative edge: 0, never negative
                Arguments.of(0.30, 2.0, -0.025, 0.0, Bound.NO_EDGE),    // 0.5 x (0.3 - 0.7 / 2) = -0.025
                Arguments.of(0.0, 3.0, -1.0 / 6, 0.0, Bound.NO_EDGE));  // 0.5 x (0 - 1 / 3)
    }

    @ParameterizedTest
    @MethodSource("edges")
    void halfKellyClampsAPositiveEdgeAndGivesZeroWithout(double p, double b, double raw, double value, Bound bound) {
        EquityFraction f = KellySizer.halfKelly(new FractionLimits(0.005, 0.10))
                .size(SizingSignals.none().withEdge(p, b));

        assertThat(f.raw()).isCloseTo(raw, within(1e-12));
        assertThat(f.value()).isCloseTo(value, within(1e-12));
        assertThat(f.bound()).isEqualTo(bound);
    }

    @Test
    void needsTheStrategysEdge() {
        assertThatThrownBy(() -> KellySizer.halfKelly(WIDE).size(SizingSignals.none().withConfidence(0.9)))
                .hasMessage("KellySizer needs the winRate signal");
    }

    @Test
    void rejectsAKellyFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> new KellySizer(0, WIDE)).hasMessage("kellyFraction must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> new KellySizer(1.5, WIDE)).hasMessage("kellyFraction must be in (0, 1], was 1.5");
        assertThatThrownBy(() -> new KellySizer(0.5, null)).hasMessage("limits must not be null");
    }
}
