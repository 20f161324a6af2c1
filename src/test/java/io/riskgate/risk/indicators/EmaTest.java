package io.riskgate.risk.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.risk.Estimate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link Ema} by hand, and on 40 closes against {@code reference.py}, which writes the update as
 * EMA_t = EMA_(t-1) + alpha (close_t - EMA_(t-1)).
 */
class EmaTest {

    private static final Offset<Double> EXACT = within(1e-12);

    @Test
    void seedsWithTheSimpleMeanThenWeightsByTwoOverNPlusOne() {
        // n 3, alpha 2/4 = 0.5: SMA(10, 11, 12) = 11; then 0.5 x 14 + 0.5 x 11 = 12.5; then 0.5 x 13 + 0.5 x 12.5
        Ema ema = new Ema(3);

        assertThat(ema.latest(10, 11, 12).orElseThrow().value()).isCloseTo(11, EXACT);
        assertThat(ema.latest(10, 11, 12, 14).orElseThrow().value()).isCloseTo(12.5, EXACT);
        assertThat(ema.latest(10, 11, 12, 14, 13).orElseThrow().value()).isCloseTo(12.75, EXACT);
    }

    @Test
    void alphaFollowsThePeriod() {
        // n 4, alpha 2/5 = 0.4: SMA(10, 11, 12, 13) = 11.5; 0.4 x 15 + 0.6 x 11.5 = 6 + 6.9 = 12.9
        assertThat(new Ema(4).latest(10, 11, 12, 13, 15).orElseThrow().value()).isCloseTo(12.9, EXACT);
    }

    @Test
    void tenPeriodEmaMatchesTheReferenceScript() {
        Ema ema = new Ema(10);

        // reference.py "EMA10 after bar 10: 106.772, 11: 107.24618181818182, 40: 104.21723278212905"
        assertThat(ema.latest(Bars.closes(10)).orElseThrow().value()).isCloseTo(106.772, EXACT);
        assertThat(ema.latest(Bars.closes(11)).orElseThrow().value()).isCloseTo(107.24618181818182, EXACT);
        IndicatorValue last = ema.latest(Bars.closes(40)).orElseThrow();
        assertThat(last.value()).isCloseTo(104.21723278212905, EXACT);
        assertThat(last.period()).isEqualTo(10);
        assertThat(last.bars()).isEqualTo(40);
    }

    @Test
    void needsAsManyClosesAsItsPeriod() {
        Ema ema = new Ema(10);

        assertThat(ema.latest(Bars.closes(10)).isReady()).isTrue();
        assertThat(ema.latest(Bars.closes(9))).isEqualTo(new Estimate.InsufficientData<>("closes", 10, 9));
    }

    @Test
    void rejectsAPeriodBelowOneAndNonFiniteCloses() {
        assertThatThrownBy(() -> new Ema(0)).hasMessage("period must be >= 1, was 0");
        assertThatThrownBy(() -> new Ema(2).latest(1, Double.NaN))
                .hasMessage("closes[1] must be a finite number, was NaN");
    }
}
