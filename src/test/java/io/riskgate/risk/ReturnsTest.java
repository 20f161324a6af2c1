package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReturnsTest {

    @Test
    void simpleReturnsOfConsecutivePrices() {
        // 102 / 100 - 1 = 0.02; 99.96 / 102 - 1 = -0.02
        Returns r = Returns.fromPrices(100, 102, 99.96);

        assertThat(r.size()).isEqualTo(2);
        assertThat(r.get(0)).isCloseTo(0.02, within(1e-15));
        assertThat(r.get(1)).isCloseTo(-0.02, within(1e-15));
    }

    @Test
    void onePriceGivesNoReturns() {
        assertThat(Returns.fromPrices(100).size()).isZero();
        assertThat(Returns.fromPrices().size()).isZero();
    }

    @Test
    void rejectsPricesThatAreNotPositiveNamingTheIndex() {
        assertThatThrownBy(() -> Returns.fromPrices(100, 0, 101)).hasMessage("prices[1] must be > 0, was 0.0");
        assertThatThrownBy(() -> Returns.fromPrices(100, Double.NaN))
                .hasMessage("prices[1] must be a finite number, was NaN");
    }

    @Test
    void rejectsNonFiniteReturns() {
        assertThatThrownBy(() -> Returns.of(0.01, Double.POSITIVE_INFINITY))
                .hasMessage("returns[1] must be a finite number, was Infinity");
    }

    @Test
    void isNotChangedByItsInputOrOutputArrays() {
        double[] in = {0.01, 0.02};
        Returns r = Returns.of(in);
        in[0] = 9;
        r.toArray()[1] = 9;

        assertThat(r).isEqualTo(Returns.of(0.01, 0.02));
    }

    @Test
    void timesScalesEveryReturn() {
        assertThat(Returns.of(0.01, -0.02).times(-0.5)).isEqualTo(Returns.of(-0.005, 0.01));
    }
}
