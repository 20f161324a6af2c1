package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** {@link Diversification}: Herfindahl by hand, the ratio against numpy and Hull's two stocks. */
class DiversificationTest {

    private static final Offset<Double> EXACT = within(1e-12);

    @Test
    void herfindahlAndEffectivePositionsOfAnUnevenBook() {
        // gross 4,000 + 3,000 + 2,000 + 1,000 = 10,000 (the short counts by size): shares 0.4, 0.3, 0.2, 0.1
        // HHI = 0.16 + 0.09 + 0.04 + 0.01 = 0.30; effective positions 1 / 0.30 = 3.333
        Exposures book = new Exposures(8_000, List.of(new Exposure("BTC", 4_000), new Exposure("ETH", 3_000),
                new Exposure("SOL", 2_000), new Exposure("ADA", -1_000)));

        Diversification.Concentration c = Diversification.concentration(book);

        assertThat(c.herfindahl()).isCloseTo(0.30, EXACT);
        assertThat(c.effectivePositions()).isCloseTo(3.3333333333333335, EXACT);
        assertThat(c.largestSymbol()).isEqualTo("BTC");
        assertThat(c.largestShareOfGross()).isCloseTo(0.4, EXACT);
        assertThat(c.largestShareOfValue()).isCloseTo(0.5, EXACT);          // 4,000 / 8,000
    }

    @Test
    void equalPositionsCountInFullAndOnePositionCountsOnce() {
        Exposures five = new Exposures(10_000, List.of(new Exposure("A", 100), new Exposure("B", 100),
                new Exposure("C", 100), new Exposure("D", 100), new Exposure("E", 100)));
        Exposures one = new Exposures(10_000, List.of(new Exposure("A", 2_000)));

        assertThat(Diversification.concentration(five).herfindahl()).isCloseTo(0.2, EXACT);   // 5 x 0.2^2
        assertThat(Diversification.concentration(five).effectivePositions()).isCloseTo(5, EXACT);
        assertThat(Diversification.concentration(one).herfindahl()).isCloseTo(1, EXACT);
        assertThat(Diversification.concentration(one).effectivePositions()).isCloseTo(1, EXACT);
    }

    @Test
    void ratioMatchesNumpy() {
        // reference.py "diversification ratio": |w| . sigma / sd(R w) with weights 0.6, -0.25, 0.4
        Exposures book = new Exposures(10_000,
                List.of(new Exposure("S0", 6_000), new Exposure("S1", -2_500), new Exposure("S2", 4_000)));

        Diversification.DiversificationRatio d = Diversification.ratio(book, ReferenceSeries.waves(120, 3))
                .orElseThrow();

        assertThat(d.weightedVolatility()).isCloseTo(0.016178696026510182, EXACT);
        assertThat(d.portfolioVolatility()).isCloseTo(0.009895754612252979, EXACT);
        assertThat(d.ratio()).isCloseTo(1.6349128146809169, within(1e-10));
    }

    @Test
    void ratioOfHullsTwoStocks() {
        // weights 2/3 and 1/3, sigma 2% and 1%, rho 0.3: weighted 0.016667; sigma_p = sqrt((0.013333)^2 +
        // (0.003333)^2 + 2 x 0.3 x 0.013333 x 0.003333) = 0.014682 (= 220,227 / 15M); ratio 1.13519 (reference.py)
        Exposures book = new Exposures(15_000_000,
                List.of(new Exposure("MSFT", 10_000_000), new Exposure("ATT", 5_000_000)));

        Diversification.DiversificationRatio d = Diversification.ratio(book, ReferenceSeries.hullTwoStocks(250))
                .orElseThrow();

        assertThat(d.weightedVolatility()).isCloseTo(0.016666666666666666, EXACT);
        assertThat(d.portfolioVolatility()).isCloseTo(0.014681810363696826, EXACT);
        assertThat(d.ratio()).isCloseTo(1.1351915229662495, within(1e-10));
    }

    @Test
    void positionsThatMoveTogetherDoNotDiversify() {
        Map<String, Returns> m = new LinkedHashMap<>();
        m.put("BTC", ReferenceSeries.wave(30, 0));
        m.put("WBTC", ReferenceSeries.wave(30, 0));
        Exposures book = new Exposures(10_000, List.of(new Exposure("BTC", 3_000), new Exposure("WBTC", 1_000)));

        assertThat(Diversification.ratio(book, AlignedReturns.of(m)).orElseThrow().ratio()).isCloseTo(1, EXACT);
    }

    @Test
    void aPerfectHedgeHasNoRatio() {
        Map<String, Returns> m = new LinkedHashMap<>();
        m.put("BTC", ReferenceSeries.wave(30, 0));
        m.put("BTC-PERP", ReferenceSeries.wave(30, 0));
        Exposures book = new Exposures(10_000, List.of(new Exposure("BTC", 5_000), new Exposure("BTC-PERP", -5_000)));

        assertThat(Diversification.ratio(book, AlignedReturns.of(m))).isEqualTo(new Estimate.Undefined<>(
                "the portfolio's returns never change: no diversification ratio"));
    }

    @Test
    void thirtyReturnsAreEnoughAndTwentyNineAreNot() {
        Exposures book = new Exposures(10_000, List.of(new Exposure("S0", 5_000), new Exposure("S1", 5_000)));

        assertThat(Diversification.ratio(book, ReferenceSeries.waves(30, 2)).isReady()).isTrue();
        assertThat(Diversification.ratio(book, ReferenceSeries.waves(29, 2)))
                .isEqualTo(new Estimate.InsufficientData<>("returns", 30, 29));
    }
}
