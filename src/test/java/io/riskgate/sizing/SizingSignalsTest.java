package io.riskgate.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizingSignalsTest {

    @Test
    void addsSignalsOneByOne() {
        SizingSignals s = SizingSignals.none().withEdge(0.6, 2).withConfidence(0.8).withRegime("bullish")
                .withRealizedVolatility(500);

        assertThat(s.winRate()).hasValue(0.6);
        assertThat(s.payoffRatio()).hasValue(2);
        assertThat(s.confidence()).hasValue(0.8);
        assertThat(s.regime()).contains("bullish");
        assertThat(s.realizedVolatility()).hasValue(500);
        assertThat(SizingSignals.none().confidence()).isEmpty();
    }

    @Test
    void rejectsSignalsOutOfRangeNamingThem() {
        assertThatThrownBy(() -> SizingSignals.none().withEdge(1.1, 2))
                .hasMessage("winRate must be in [0.0, 1.0], was 1.1");
        assertThatThrownBy(() -> SizingSignals.none().withEdge(0.5, 0))
                .hasMessage("payoffRatio must be a finite number > 0, was 0.0");
        assertThatThrownBy(() -> SizingSignals.none().withConfidence(-0.1))
                .hasMessage("confidence must be in [0.0, 1.0], was -0.1");
        assertThatThrownBy(() -> SizingSignals.none().withRealizedVolatility(0))
                .hasMessage("realizedVolatility must be a finite number > 0, was 0.0");
        assertThatThrownBy(() -> SizingSignals.none().withRegime(""))
                .hasMessage("regime must not be blank");
    }
}
