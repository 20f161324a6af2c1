package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PortfolioHeatTest {

    @Test
    void addsEveryPositionsRiskToStopOverEquity() {
        // seed 001's sized order: 0.01 BTC, entry 50,000, stop 47,750: 2,250 x 0.01 = 22.5
        // seed 003's signal: 0.1 BTC, entry 50,000, stop 49,000: 1,000 x 0.1 = 100
        // (22.5 + 100) / 10,000 = 0.01225
        PortfolioHeat h = PortfolioHeat.of(List.of(new OpenRisk("BTC", 50_000, 47_750, 0.01),
                new OpenRisk("BTC", 50_000, 49_000, 0.1)), 10_000);

        assertThat(h.riskAmount()).isCloseTo(122.5, within(1e-9));
        assertThat(h.equity()).isEqualTo(10_000);
        assertThat(h.heat()).isCloseTo(0.01225, within(1e-12));
    }

    @Test
    void aShortsStopSitsAboveItsEntry() {
        // short 2 ETH at 3,000, stop 3,150: 150 x 2 = 300 on 20,000 = 1.5%
        PortfolioHeat h = PortfolioHeat.of(List.of(new OpenRisk("ETH", 3_000, 3_150, 2)), 20_000);

        assertThat(h.heat()).isCloseTo(0.015, within(1e-12));
    }

    @Test
    void noOpenPositionsIsNoHeat() {
        assertThat(PortfolioHeat.of(List.of(), 10_000)).isEqualTo(new PortfolioHeat(0, 10_000, 0));
    }

    @Test
    void rejectsEquityThatIsNotPositive() {
        assertThatThrownBy(() -> PortfolioHeat.of(List.of(), 0))
                .hasMessage("equity must be a finite number > 0, was 0.0");
    }

    static Stream<Arguments> badPositions() {
        return Stream.of(
                Arguments.of(0, 49_000, 1, "entry of BTC must be a finite number > 0, was 0.0"),
                Arguments.of(50_000, -1, 1, "stop of BTC must be a finite number > 0, was -1.0"),
                Arguments.of(50_000, 49_000, 0, "quantity of BTC must be a finite number > 0, was 0.0"),
                Arguments.of(50_000, 49_000, Double.NaN, "quantity of BTC must be a finite number > 0, was NaN"));
    }

    @ParameterizedTest
    @MethodSource("badPositions")
    void openRiskRejectsNonPositiveLevelsAndQuantities(double entry, double stop, double quantity, String message) {
        assertThatThrownBy(() -> new OpenRisk("BTC", entry, stop, quantity)).hasMessage(message);
    }
}
