package io.riskgate.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.sizing.EquityFraction.Bound;
import org.junit.jupiter.api.Test;

class FixedFractionSizerTest {

    private final FractionLimits limits = new FractionLimits(0.005, 0.10);

    @Test
    void givesTheSameFractionWhateverTheSignals() {
        // seed 004's proven strategy: 'fixed_fraction' at 2%
        FixedFractionSizer s = new FixedFractionSizer(0.02, limits);

        assertThat(s.size(SizingSignals.none())).isEqualTo(new EquityFraction(0.02, 0.02, Bound.NONE));
        assertThat(s.size(SizingSignals.none().withConfidence(0.1)).value()).isEqualTo(0.02);
    }

    @Test
    void aFixedRiskAmountIsItsShareOfEquity() {
        // seed 003: risk_per_trade 200 on equity 10,000 = 0.02
        assertThat(FixedFractionSizer.ofRiskAmount(200, 10_000, limits).size(SizingSignals.none()).value())
                .isEqualTo(0.02);
    }

    @Test
    void clampsOnBothSides() {
        assertThat(new FixedFractionSizer(0.001, limits).size(SizingSignals.none()))
                .isEqualTo(new EquityFraction(0.005, 0.001, Bound.MIN));
        assertThat(new FixedFractionSizer(0.2, limits).size(SizingSignals.none()))
                .isEqualTo(new EquityFraction(0.10, 0.2, Bound.MAX));
    }

    @Test
    void rejectsAFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> new FixedFractionSizer(1.01, limits))
                .hasMessage("fraction must be in [0.0, 1.0], was 1.01");
        assertThatThrownBy(() -> FixedFractionSizer.ofRiskAmount(200, 0, limits))
                .hasMessage("equity must be a finite number > 0, was 0.0");
    }
}
