package io.riskgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;

/**
 * {@link Correlation#pearson} against numpy's {@code corrcoef} ({@code reference.py}) and Hipparchus'
 * {@code PearsonsCorrelation}, which computes it another way (pairwise regressions).
 */
class CorrelationTest {

    /** reference.py, "correlation of wave(60, 0..3)" (np.corrcoef). */
    private static final double[][] NUMPY = {
        {1.0, 0.23296245460583243, 0.29324319036063007, 0.3026770922995162},
        {0.23296245460583243, 1.0, 0.2094097419835976, 0.2939149271423868},
        {0.29324319036063007, 0.2094097419835976, 1.0, 0.23335804595889953},
        {0.3026770922995162, 0.2939149271423868, 0.23335804595889953, 1.0}};

    @Test
    void matchesNumpyCorrcoef() {
        CorrelationMatrix m = Correlation.pearson(ReferenceSeries.waves(60, 4)).orElseThrow();

        assertThat(m.symbols()).containsExactly("S0", "S1", "S2", "S3");
        assertThat(m.observations()).isEqualTo(60);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(m.get("S" + i, "S" + j)).as("rho(S%d, S%d)", i, j).isCloseTo(NUMPY[i][j], within(1e-12));
            }
        }
    }

    @Test
    void matchesHipparchusPearsonsCorrelation() {
        AlignedReturns a = ReferenceSeries.waves(500, 8);
        double[][] data = new double[500][8];
        for (int j = 0; j < 8; j++) {
            for (int t = 0; t < 500; t++) {
                data[t][j] = a.returns("S" + j).get(t);
            }
        }
        RealMatrix expected = new PearsonsCorrelation(data).getCorrelationMatrix();

        double[][] actual = Correlation.pearson(a).orElseThrow().toArray();

        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                assertThat(actual[i][j]).isCloseTo(expected.getEntry(i, j), within(1e-12));
            }
        }
    }

    @Test
    void seriesThatMoveInProportionCorrelateFully() {
        // ETH = 2 x BTC: rho 1; SHORT = -BTC: rho -1
        Returns btc = ReferenceSeries.wave(30, 0);
        Map<String, Returns> m = new LinkedHashMap<>();
        m.put("BTC", btc);
        m.put("ETH", btc.times(2));
        m.put("SHORT", btc.times(-1));

        CorrelationMatrix c = Correlation.pearson(AlignedReturns.of(m)).orElseThrow();

        assertThat(c.get("BTC", "ETH")).isCloseTo(1, within(1e-15));
        assertThat(c.get("BTC", "SHORT")).isCloseTo(-1, within(1e-15));
        assertThat(c.get("ETH", "SHORT")).isBetween(-1.0, -1 + 1e-15);
    }

    @Test
    void thirtyReturnsAreEnoughAndTwentyNineAreNot() {
        assertThat(Correlation.pearson(ReferenceSeries.waves(30, 2)).isReady()).isTrue();
        assertThat(Correlation.pearson(ReferenceSeries.waves(29, 2)))
                .isEqualTo(new Estimate.InsufficientData<CorrelationMatrix>("returns", 30, 29));
    }

    @Test
    void aSeriesThatNeverMovesIsUndefinedNotZero() {
        Map<String, Returns> m = new LinkedHashMap<>();
        m.put("BTC", ReferenceSeries.wave(30, 0));
        m.put("USDT", Returns.of(new double[30]));

        Estimate<CorrelationMatrix> e = Correlation.pearson(AlignedReturns.of(m));

        assertThat(e).isEqualTo(new Estimate.Undefined<CorrelationMatrix>("returns of USDT never change: no correlation"));
    }

    @Test
    void oneSymbolCorrelatesWithItself() {
        CorrelationMatrix m = Correlation.pearson(ReferenceSeries.waves(30, 1)).orElseThrow();

        assertThat(m.get("S0", "S0")).isEqualTo(1);
        assertThat(m.highest()).isEmpty();
    }
}
