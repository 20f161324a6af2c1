package io.riskgate.risk.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.risk.Estimate;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link WilderAtr} by hand on five bars, and on 40 bars against {@code reference.py}, which recomputes Wilder's
 * smoothing in its update form ATR_t = ATR_(t-1) + (TR_t - ATR_(t-1)) / n. The first true range is high - low and
 * the first ATR the mean of the first n true ranges, as in Wilder's worksheet and StockCharts' ChartSchool.
 */
class WilderAtrTest {

    private static final Offset<Double> EXACT = within(1e-12);

    /**
     * Period 3. TR: bar 1 10 - 8 = 2; bar 2 max(12 - 9.5, |12 - 9|, |9.5 - 9|) = 3 (gap up); bar 3
     * max(1.5, |11.5 - 11|, |10 - 11|) = 1.5; bar 4 max(2, |10 - 10.5|, |8 - 10.5|) = 2.5 (gap down); bar 5
     * max(0.5, |9 - 8.5|, |8.5 - 8.5|) = 0.5.
     * ATR_3 = (2 + 3 + 1.5) / 3 = 13/6; ATR_4 = (13/6 x 2 + 2.5) / 3 = 41/18; ATR_5 = (41/18 x 2 + 0.5) / 3 = 91/54.
     */
    private static final List<Bar> HAND = List.of(new Bar(10, 8, 9), new Bar(12, 9.5, 11), new Bar(11.5, 10, 10.5),
            new Bar(10, 8, 8.5), new Bar(9, 8.5, 8.8));

    @Test
    void seedsWithTheMeanOfTheFirstTrueRangesThenSmooths() {
        WilderAtr atr = new WilderAtr(3);

        assertThat(atr.latest(HAND.subList(0, 3)).orElseThrow().value()).isCloseTo(13.0 / 6, EXACT);
        assertThat(atr.latest(HAND.subList(0, 4)).orElseThrow().value()).isCloseTo(41.0 / 18, EXACT);
        assertThat(atr.latest(HAND).orElseThrow()).satisfies(v -> {
            assertThat(v.value()).isCloseTo(91.0 / 54, EXACT);
            assertThat(v.period()).isEqualTo(3);
            assertThat(v.bars()).isEqualTo(5);
        });
    }

    @Test
    void fourteenPeriodAtrMatchesTheReferenceScript() {
        WilderAtr atr = new WilderAtr(14);

        // reference.py "ATR14 after bar 14: 3.53, 15: 3.50, 40: 3.585737823445794"
        assertThat(atr.latest(Bars.first(14)).orElseThrow().value()).isCloseTo(3.53, EXACT);
        assertThat(atr.latest(Bars.first(15)).orElseThrow().value()).isCloseTo(3.50, EXACT);
        assertThat(atr.latest(Bars.first(40)).orElseThrow().value()).isCloseTo(3.585737823445794, EXACT);
    }

    @Test
    void periodOneIsTheLatestTrueRange() {
        assertThat(new WilderAtr(1).latest(HAND).orElseThrow().value()).isCloseTo(0.5, EXACT);
    }

    @Test
    void needsAsManyBarsAsItsPeriod() {
        WilderAtr atr = new WilderAtr(14);

        assertThat(atr.latest(Bars.first(14)).isReady()).isTrue();
        assertThat(atr.latest(Bars.first(13))).isEqualTo(new Estimate.InsufficientData<>("bars", 14, 13));
        assertThat(atr.latest(List.of())).isEqualTo(new Estimate.InsufficientData<>("bars", 14, 0));
    }

    @Test
    void rejectsAPeriodBelowOne() {
        assertThatThrownBy(() -> new WilderAtr(0)).hasMessage("period must be >= 1, was 0");
    }
}
