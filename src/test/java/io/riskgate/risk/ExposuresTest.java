package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExposuresTest {

    @Test
    void weightIsNotionalOverPortfolioValue() {
        // 10,000 / 40,000 = 0.25; -6,000 / 40,000 = -0.15
        Exposures e = new Exposures(40_000, List.of(new Exposure("BTC", 10_000), new Exposure("ETH", -6_000)));

        assertThat(e.weights()).containsExactly(0.25, -0.15);
        assertThat(e.symbols()).containsExactly("BTC", "ETH");
    }

    @Test
    void portfolioReturnIsTheWeightedSum() {
        // 0.25 x 0.04 + (-0.15) x 0.02 = 0.01 - 0.003 = 0.007
        AlignedReturns r = AlignedReturns.of(java.util.Map.of("BTC", Returns.of(0.04), "ETH", Returns.of(0.02)));
        Exposures e = new Exposures(40_000, List.of(new Exposure("BTC", 10_000), new Exposure("ETH", -6_000)));

        assertThat(e.portfolioReturns(r).get(0)).isCloseTo(0.007, org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void rejectsTheSameSymbolTwice() {
        assertThatThrownBy(() -> new Exposures(1_000, List.of(new Exposure("BTC", 1), new Exposure("BTC", 2))))
                .hasMessage("positions must hold one exposure per symbol, BTC is there twice");
    }

    @Test
    void rejectsAnEmptyBookAndNonPositiveValue() {
        assertThatThrownBy(() -> new Exposures(1_000, List.of()))
                .hasMessage("positions must hold at least one exposure");
        assertThatThrownBy(() -> new Exposures(0, List.of(new Exposure("BTC", 1))))
                .hasMessage("portfolioValue must be a finite number > 0, was 0.0");
    }

    @Test
    void exposureRejectsZeroAndNonFiniteNotionals() {
        assertThatThrownBy(() -> new Exposure("BTC", 0)).hasMessage("notional of BTC must not be 0");
        assertThatThrownBy(() -> new Exposure("BTC", Double.NaN))
                .hasMessage("notional of BTC must be a finite number, was NaN");
        assertThatThrownBy(() -> new Exposure(" ", 1)).hasMessage("symbol must not be blank");
    }
}
