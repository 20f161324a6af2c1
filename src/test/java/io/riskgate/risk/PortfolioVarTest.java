package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link PortfolioVar} against Hull's two-stock example and numpy ({@code reference.py}: the portfolio series
 * R w, and for the normal model also sqrt(w' Sigma w) from {@code np.cov}).
 */
class PortfolioVarTest {

    private static final Offset<Double> EXACT = within(1e-12);
    private static final double HULL_Z_RATIO = 2.33 / 2.3263478740408408;

    @Test
    void reproducesHullsTwoStockPortfolio() {
        // Hull, "Options, Futures, and Other Derivatives", VaR chapter: $10M Microsoft (daily sigma 2%) and $5M AT&T
        // (1%), correlation 0.3. sigma_p = sqrt(200,000^2 + 50,000^2 + 2 x 0.3 x 200,000 x 50,000) = 220,227;
        // 10-day 99% VaR 220,227 x sqrt(10) x 2.33 = $1,622,657; alone 1,473,621 + 368,405 = 1,842,026;
        // diversification benefit $219,369. Exact z (reference.py): 1,620,113.82 and 1,471,311.58 + 367,827.90.
        Exposures book = new Exposures(15_000_000,
                List.of(new Exposure("MSFT", 10_000_000), new Exposure("ATT", 5_000_000)));

        PortfolioVar.PortfolioVarResult r = new PortfolioVar(new ParametricVar())
                .estimate(book, ReferenceSeries.hullTwoStocks(250), new VarSpec(0.99, 10)).orElseThrow();

        double var = r.inCurrency().valueAtRisk();
        double undiversified = r.undiversifiedVar() * 15_000_000;
        double benefit = r.diversificationBenefit() * 15_000_000;
        assertThat(var).isCloseTo(1_620_113.8228721323, within(1e-3));
        assertThat(undiversified).isCloseTo(1_471_311.5823719108 + 367_827.8955929777, within(1e-3));
        assertThat(var * HULL_Z_RATIO).isCloseTo(1_622_657, within(1.0));
        assertThat(undiversified * HULL_Z_RATIO).isCloseTo(1_842_026, within(1.0));
        assertThat(benefit * HULL_Z_RATIO).isCloseTo(219_369, within(1.0));
    }

    @Test
    void historicalPortfolioVarMatchesNumpy() {
        // reference.py "portfolio of wave(120, 0..2)": weights 0.6, -0.25, 0.4. 120 x 5% = 6 tail scenarios exactly,
        // where a floating-point 1 - 0.95 would make it 7 (numpy does, unless asked for round(1 - c, 12))
        PortfolioVar.PortfolioVarResult r = new PortfolioVar(new HistoricalVar())
                .estimate(threePositions(), ReferenceSeries.waves(120, 3), VarSpec.onePeriod(0.95)).orElseThrow();

        assertThat(r.diversified().method()).isEqualTo(VarMethod.HISTORICAL);
        assertThat(r.diversified().valueAtRisk()).isCloseTo(0.017083404428451576, EXACT);
        assertThat(r.diversified().expectedShortfall()).isCloseTo(0.020902894448595288, EXACT);
        assertThat(r.undiversifiedVar()).isCloseTo(0.026141426527399578, EXACT);
        assertThat(r.inCurrency().valueAtRisk()).isCloseTo(170.83404428451576, within(1e-9));   // x 10,000
    }

    @Test
    void parametricPortfolioVarMatchesNumpyCovarianceForm() {
        // reference.py: the series' sd 0.009895754612252979 equals sqrt(w' Sigma w) = 0.009895754612252977
        PortfolioVar.PortfolioVarResult r = new PortfolioVar(new ParametricVar())
                .estimate(threePositions(), ReferenceSeries.waves(120, 3), VarSpec.onePeriod(0.95)).orElseThrow();

        assertThat(r.diversified().valueAtRisk()).isCloseTo(0.015922326945280552, EXACT);
        assertThat(r.diversified().expectedShortfall()).isCloseTo(0.020057358858539383, EXACT);
        assertThat(r.undiversifiedVar()).isCloseTo(0.026256845918445133, EXACT);
    }

    @Test
    void usesOnlyTheSymbolsHeld() {
        // four series aligned, three held: S3 plays no part
        PortfolioVar.PortfolioVarResult r = new PortfolioVar(new HistoricalVar())
                .estimate(threePositions(), ReferenceSeries.waves(120, 4), VarSpec.onePeriod(0.95)).orElseThrow();

        assertThat(r.diversified().valueAtRisk()).isCloseTo(0.017083404428451576, EXACT);
    }

    @Test
    void nineteenReturnsAreInsufficientData() {
        Estimate<PortfolioVar.PortfolioVarResult> e = new PortfolioVar(new HistoricalVar())
                .estimate(threePositions(), ReferenceSeries.waves(19, 3), VarSpec.onePeriod(0.95));

        assertThat(e).isEqualTo(new Estimate.InsufficientData<>("returns", 20, 19));
    }

    @Test
    void rejectsPositionsWithoutReturns() {
        Exposures book = new Exposures(10_000, List.of(new Exposure("S0", 5_000), new Exposure("DOGE", 1_000)));

        assertThatThrownBy(() -> new PortfolioVar(new HistoricalVar())
                .estimate(book, ReferenceSeries.waves(30, 2), VarSpec.onePeriod(0.95)))
                .hasMessage("no returns for [DOGE]; have [S0, S1]");
    }

    /** Notionals 6,000, -2,500 (short) and 4,000 on a 10,000 portfolio: weights 0.6, -0.25, 0.4. */
    private static Exposures threePositions() {
        return new Exposures(10_000,
                List.of(new Exposure("S0", 6_000), new Exposure("S1", -2_500), new Exposure("S2", 4_000)));
    }
}
