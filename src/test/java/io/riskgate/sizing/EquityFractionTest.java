package io.riskgate.sizing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EquityFractionTest {

    @Test
    void rejectsAValueOutsideZeroToOne() {
        assertThatThrownBy(() -> new EquityFraction(1.2, 1.2, EquityFraction.Bound.NONE))
                .hasMessage("value must be in [0.0, 1.0], was 1.2");
    }

    @Test
    void rejectsANonFiniteRawValueOrMissingBound() {
        assertThatThrownBy(() -> new EquityFraction(0, Double.NaN, EquityFraction.Bound.NONE))
                .hasMessage("raw must be finite and bound set, were NaN, NONE");
        assertThatThrownBy(() -> new EquityFraction(0, 0, null))
                .hasMessage("raw must be finite and bound set, were 0.0, null");
    }
}
