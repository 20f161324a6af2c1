package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link ParametricVar} against Hull's normal-VaR examples and scipy ({@code reference.py}: {@code norm.ppf},
 * {@code norm.pdf}, numpy mean and {@code std(ddof=1)}).
 */
class ParametricVarTest {

    private static final Offset<Double> EXACT = within(1e-12);
    /** Hull prints z at 99% as 2.33; the exact value is 2.3263478740408408 (scipy norm.ppf(0.99)). */
    private static final double HULL_Z_RATIO = 2.33 / 2.3263478740408408;
    private final ParametricVar model = new ParametricVar();

    @Test
    void reproducesHullsSingleStockTenDayVar() {
        // Hull, "Options, Futures, and Other Derivatives", VaR chapter: $10 million of Microsoft, daily sigma 2%
        // ($200,000), mean 0. 10-day 99% VaR = 200,000 x sqrt(10) x 2.33 = $1,473,621 with Hull's rounded z;
        // 1,471,311.58 with the exact z (reference.py)
        VarResult r = ParametricVar.fromMoments(0, 0.02, new VarSpec(0.99, 10));
        double dollars = r.inCurrency(10_000_000).valueAtRisk();

        assertThat(dollars).isCloseTo(1_471_311.5823719108, within(1e-6));
        assertThat(dollars * HULL_Z_RATIO).isCloseTo(1_473_621, within(1.0));
        assertThat(r.observations()).isZero();
    }

    @Test
    void reproducesHullsNormalExpectedShortfallExample() {
        // Hull (same chapter, expected shortfall): 10-day change normal, mean 0, sigma $20 million. 99% VaR
        // 20 x 2.326 = $46.5 million; ES = 20 x exp(-2.326^2 / 2) / (sqrt(2 pi) x 0.01) = $53.3 million.
        // As fractions of a $1,000 million portfolio: sigma 0.02 over one (10-day) period.
        VarResult.VarAmount a = ParametricVar.fromMoments(0, 0.02, VarSpec.onePeriod(0.99))
                .inCurrency(1_000_000_000);

        assertThat(a.valueAtRisk() / 1e6).isCloseTo(46.52695748081682, within(1e-9));     // Hull: 46.5
        assertThat(a.expectedShortfall() / 1e6).isCloseTo(53.30428440691616, within(1e-9)); // Hull: 53.3
    }

    @Test
    void subtractsTheMeanOverTheHorizon() {
        // reference.py "normal, mean 0.001, sd 0.01, 95%": z 1.6448536, phi(z) 0.1031356
        // VaR = 1.6448536 x 0.01 - 0.001; ES = 0.01 x 0.1031356 / 0.05 - 0.001
        VarResult r = ParametricVar.fromMoments(0.001, 0.01, VarSpec.onePeriod(0.95));

        assertThat(r.valueAtRisk()).isCloseTo(0.015448536269514722, EXACT);
        assertThat(r.expectedShortfall()).isCloseTo(0.019627128075074274, EXACT);
        assertThat(r.expectedShortfall()).isGreaterThan(r.valueAtRisk());
    }

    @Test
    void matchesScipyOnAReturnSeries() {
        Returns r = ReferenceSeries.wave(250, 0);

        VarResult at95 = model.estimate(r, VarSpec.onePeriod(0.95)).orElseThrow();
        VarResult at99x10 = model.estimate(r, new VarSpec(0.99, 10)).orElseThrow();

        // reference.py, "VaR of wave(250, 0)"
        assertThat(at95.method()).isEqualTo(VarMethod.PARAMETRIC_NORMAL);
        assertThat(at95.observations()).isEqualTo(250);
        assertThat(at95.valueAtRisk()).isCloseTo(0.021151380409907664, EXACT);
        assertThat(at95.expectedShortfall()).isCloseTo(0.026565163895542577, EXACT);
        assertThat(at99x10.valueAtRisk()).isCloseTo(0.0937181337516293, EXACT);
        assertThat(at99x10.expectedShortfall()).isCloseTo(0.10760164686395739, EXACT);
    }

    @Test
    void aSeriesThatNeverMovesRisksOnlyMinusItsDrift() {
        double[] flat = new double[20];
        java.util.Arrays.fill(flat, 0.001);

        VarResult r = model.estimate(Returns.of(flat), new VarSpec(0.99, 5)).orElseThrow();

        assertThat(r.valueAtRisk()).isCloseTo(-0.005, EXACT);       // sigma 0: -mu x h = -0.001 x 5
        assertThat(r.expectedShortfall()).isCloseTo(-0.005, EXACT);
    }

    @Test
    void twentyReturnsAreEnoughAndNineteenAreNot() {
        assertThat(model.estimate(ReferenceSeries.wave(20, 0), VarSpec.onePeriod(0.95)).isReady()).isTrue();
        assertThat(model.estimate(ReferenceSeries.wave(19, 0), VarSpec.onePeriod(0.95)))
                .isEqualTo(new Estimate.InsufficientData<VarResult>("returns", 20, 19));
    }

    @Test
    void rejectsANegativeStandardDeviation() {
        assertThatThrownBy(() -> ParametricVar.fromMoments(0, -0.01, VarSpec.onePeriod(0.95)))
                .hasMessage("standardDeviation must be a finite number >= 0, was -0.01");
    }
}
