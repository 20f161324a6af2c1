package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HistoricalVar} against a hand-ranked set of 20 returns, Hull's historical-simulation example, and numpy
 * ({@code reference.py}: {@code np.quantile(method='inverted_cdf')}).
 */
class HistoricalVarTest {

    private static final Offset<Double> EXACT = within(1e-12);
    private final HistoricalVar model = new HistoricalVar();

    /** 20 returns, out of order; ranked: -0.05, -0.04, -0.03, -0.02, -0.01, 0.01 ... 0.15. */
    private static final double[] HAND = {-0.05, 0.01, -0.04, 0.02, -0.03, 0.03, -0.02, 0.04, -0.01, 0.05, 0.06,
        0.07, 0.08, 0.09, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15};

    static Stream<Arguments> handWorked() {
        return Stream.of(
                // c, k = ceil(20 (1 - c)), VaR = -(k-th lowest), ES = -mean(k lowest)
                Arguments.of(0.95, 0.05, 0.05),           // k 1: the worst, -0.05
                Arguments.of(0.90, 0.04, 0.045),          // k 2: (0.05 + 0.04) / 2
                Arguments.of(0.80, 0.02, 0.035),          // k 4: (0.05 + 0.04 + 0.03 + 0.02) / 4
                Arguments.of(0.75, 0.01, 0.03),           // k 5: 0.15 / 5
                Arguments.of(0.72, -0.01, 0.0233333333333333)); // k ceil(5.6) = 6: 6th lowest is +0.01, a gain;
                                                          // ES (0.15 - 0.01) / 6
    }

    @ParameterizedTest
    @MethodSource("handWorked")
    void ranksTheReturnsAndAveragesTheTail(double confidence, double var, double es) {
        VarResult r = model.estimate(Returns.of(HAND), VarSpec.onePeriod(confidence)).orElseThrow();

        assertThat(r.method()).isEqualTo(VarMethod.HISTORICAL);
        assertThat(r.observations()).isEqualTo(20);
        assertThat(r.valueAtRisk()).isCloseTo(var, EXACT);
        assertThat(r.expectedShortfall()).isCloseTo(es, EXACT);
    }

    @Test
    void scalesBySquareRootOfHorizon() {
        // 90%, k 2: one period 0.04 / 0.045; over 4 periods x sqrt(4) = 2
        VarResult r = model.estimate(Returns.of(HAND), new VarSpec(0.90, 4)).orElseThrow();

        assertThat(r.valueAtRisk()).isCloseTo(0.08, EXACT);
        assertThat(r.expectedShortfall()).isCloseTo(0.09, EXACT);
    }

    @Test
    void reproducesHullsHistoricalSimulationExample() {
        // Hull, "Risk Management and Financial Institutions", historical simulation chapter (Table 14.4 in the 3rd
        // edition): $10 million portfolio, 500 scenarios, worst losses ($000s) 477.841, 345.435, 282.204, 277.041,
        // 253.385, then 217.974. 99% VaR = the 5th-worst loss, $253,385; ES = mean of the five worst,
        // (477.841 + 345.435 + 282.204 + 277.041 + 253.385) / 5 = 1,635.906 / 5 = $327,181.2. The other 494
        // scenarios are not printed there; any losses below 217.974 leave the figures unchanged.
        double[] losses = new double[500];
        double[] worst = {477.841, 345.435, 282.204, 277.041, 253.385, 217.974};
        System.arraycopy(worst, 0, losses, 0, worst.length);
        for (int i = worst.length; i < 500; i++) {
            losses[i] = 200 - i;
        }
        double[] returns = new double[500];
        for (int i = 0; i < 500; i++) {
            returns[i] = -losses[i] / 10_000;          // loss in $000s over a $10,000k portfolio
        }

        VarResult.VarAmount a = model.estimate(Returns.of(returns), VarSpec.onePeriod(0.99)).orElseThrow()
                .inCurrency(10_000_000);

        assertThat(a.valueAtRisk()).isCloseTo(253_385, within(1e-6));
        assertThat(a.expectedShortfall()).isCloseTo(327_181.2, within(1e-6));
    }

    @Test
    void matchesNumpyInvertedCdfQuantile() {
        Returns r = ReferenceSeries.wave(250, 0);

        VarResult at95 = model.estimate(r, VarSpec.onePeriod(0.95)).orElseThrow();
        VarResult at99 = model.estimate(r, VarSpec.onePeriod(0.99)).orElseThrow();

        // reference.py, "VaR of wave(250, 0)": k = ceil(12.5) = 13 and ceil(2.5) = 3
        assertThat(at95.valueAtRisk()).isCloseTo(0.020973531090452423, EXACT);
        assertThat(at95.expectedShortfall()).isCloseTo(0.022941985684002117, EXACT);
        assertThat(at99.valueAtRisk()).isCloseTo(0.0241990364524555, EXACT);
        assertThat(at99.expectedShortfall()).isCloseTo(0.024941563494939003, EXACT);
    }

    @Test
    void countsTailScenariosDespiteFloatingPointInOneMinusConfidence() {
        // 1 - 0.99 = 0.010000000000000009 and 1 - 0.95 = 0.050000000000000044: ceil would add a scenario
        assertThat(HistoricalVar.tailCount(500, 0.99)).isEqualTo(5);
        assertThat(HistoricalVar.tailCount(20, 0.95)).isEqualTo(1);
        assertThat(HistoricalVar.tailCount(100, 0.99)).isEqualTo(1);
        assertThat(HistoricalVar.tailCount(250, 0.95)).isEqualTo(13);
        assertThat(HistoricalVar.tailCount(20, 0.999)).isEqualTo(1);   // 0.02 scenarios: still the worst one
    }

    @Test
    void twentyReturnsAreEnough() {
        Estimate<VarResult> e = model.estimate(ReferenceSeries.gainsThenLoss(20, 0.07), VarSpec.onePeriod(0.95));

        assertThat(e.orElseThrow().valueAtRisk()).isCloseTo(0.07, EXACT);   // k 1: the single loss
    }

    @Test
    void nineteenReturnsAreInsufficientData() {
        Estimate<VarResult> e = model.estimate(ReferenceSeries.gainsThenLoss(19, 0.07), VarSpec.onePeriod(0.95));

        assertThat(e).isEqualTo(new Estimate.InsufficientData<VarResult>("returns", 20, 19));
    }

    @Test
    void gainsInTheTailGiveANegativeVar() {
        // every return a gain: the 95% "loss" is the smallest gain, reported as a negative VaR, not floored to 0
        double[] gains = new double[20];
        for (int i = 0; i < 20; i++) {
            gains[i] = 0.01 + 0.001 * i;
        }
        VarResult r = model.estimate(Returns.of(gains), VarSpec.onePeriod(0.95)).orElseThrow();

        assertThat(r.valueAtRisk()).isCloseTo(-0.01, EXACT);
    }

    @Test
    void theTailIsTheSortedPrefixWithTiesAndEveryKFromOneToN() {
        // what Arrays.sort then the first k gave, element for element (so VaR and ES sum the same doubles in order)
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(60);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                // a coarse grid, so that ties are common, with -0.0 and 0.0 both in play
                values[i] = random.nextInt(9) == 0 ? -0.0 : (random.nextInt(11) - 5) / 100.0;
            }
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            for (int k = 1; k <= n; k++) {
                assertThat(HistoricalVar.lowest(values.clone(), k)).containsExactly(java.util.Arrays.copyOf(sorted, k));
            }
        }
    }
}
