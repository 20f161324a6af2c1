package io.riskgate.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.sizing.EquityFraction.Bound;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegimeSizerTest {

    private final RegimeSizer sizer = new RegimeSizer(0.02,
            Map.of("bullish", 1.2, "normal", 1.0, "bearish", 0.5, "crash", 0.0, "euphoric", 6.0),
            new FractionLimits(0.005, 0.10));

    @Test
    void multipliesTheBaseByTheRegimesFactor() {
        // seed 003: {'trend': 'bullish', 'risk_multiplier': 1.2}: 0.02 x 1.2 = 0.024; seed 004's 'normal': 0.02
        assertThat(sizer.size(SizingSignals.none().withRegime("bullish")).value()).isCloseTo(0.024, within(1e-15));
        assertThat(sizer.size(SizingSignals.none().withRegime("normal")).value()).isCloseTo(0.02, within(1e-15));
        assertThat(sizer.size(SizingSignals.none().withRegime("bearish")).value()).isCloseTo(0.01, within(1e-15));
    }

    @Test
    void clampsOnBothSides() {
        // crash: 0.02 x 0 = 0 -> min 0.005; euphoric: 0.02 x 6 = 0.12 -> max 0.10
        assertThat(sizer.size(SizingSignals.none().withRegime("crash")))
                .isEqualTo(new EquityFraction(0.005, 0.0, Bound.MIN));
        assertThat(sizer.size(SizingSignals.none().withRegime("euphoric")).bound()).isEqualTo(Bound.MAX);
        assertThat(sizer.size(SizingSignals.none().withRegime("euphoric")).value()).isEqualTo(0.10);
    }

    @Test
    void anUnknownRegimeIsAnErrorNotAFactorOfOne() {
        assertThatThrownBy(() -> sizer.size(SizingSignals.none().withRegime("sideways")))
                .hasMessage("no factor for regime sideways; have [bearish, bullish, crash, euphoric, normal]");
        assertThatThrownBy(() -> sizer.size(SizingSignals.none()))
                .hasMessage("RegimeSizer needs the regime signal");
    }

    @Test
    void rejectsAnEmptyTableAndBadFactors() {
        FractionLimits limits = new FractionLimits(0, 1);
        Map<String, Double> withNull = new HashMap<>();
        withNull.put("normal", null);

        assertThatThrownBy(() -> new RegimeSizer(0.02, Map.of(), limits))
                .hasMessage("factors must name at least one regime");
        assertThatThrownBy(() -> new RegimeSizer(0.02, Map.of("bearish", -0.5), limits))
                .hasMessage("factor of regime bearish must be a finite number >= 0, was -0.5");
        assertThatThrownBy(() -> new RegimeSizer(0.02, withNull, limits))
                .hasMessage("factor of regime normal must not be null");
    }
}
