package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VarResultTest {

    private final VarResult r = new VarResult(VarMethod.HISTORICAL, VarSpec.onePeriod(0.95), 20, 0.0465, 0.05);

    @Test
    void convertsFractionsToMoney() {
        // 0.0465 x 1,000,000 = 46,500; 0.05 x 1,000,000 = 50,000
        VarResult.VarAmount a = r.inCurrency(1_000_000);

        assertThat(a.portfolioValue()).isEqualTo(1_000_000);
        assertThat(a.valueAtRisk()).isCloseTo(46_500, within(1e-9));
        assertThat(a.expectedShortfall()).isCloseTo(50_000, within(1e-9));
    }

    @Test
    void rejectsANonPositivePortfolioValue() {
        assertThatThrownBy(() -> r.inCurrency(0)).hasMessage("portfolioValue must be a finite number > 0, was 0.0");
    }

    @Test
    void rejectsNonFiniteFigures() {
        assertThatThrownBy(() -> new VarResult(VarMethod.HISTORICAL, VarSpec.onePeriod(0.95), 20, Double.NaN, 0))
                .hasMessage("valueAtRisk must be a finite number, was NaN");
    }
}
