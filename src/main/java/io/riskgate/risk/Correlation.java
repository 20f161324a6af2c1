package io.riskgate.risk;

import java.util.List;
import org.hipparchus.linear.BlockRealMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.stat.descriptive.moment.Mean;

/**
 * Pearson correlation matrix of aligned return series:
 *
 * <pre>
 * rho_ij = sum_t (r_it - mean_i)(r_jt - mean_j) / sqrt(sum_t (r_it - mean_i)^2 x sum_t (r_jt - mean_j)^2)
 * </pre>
 *
 * computed as Z'Z, where column j of Z is series j centred and scaled to length 1 (Hipparchus' block matrix
 * product). Hipparchus' {@code PearsonsCorrelation} gives the same numbers but takes about 6 ms for 50 series of
 * 500 returns on the development machine against well under 1 ms here.
 *
 * <p>Needs {@link #MIN_OBSERVATIONS} returns (seed 003: "need minimum 30 price points per symbol"); a series that
 * never moves has no correlation and makes the matrix {@link Estimate.Undefined}.
 *
 * <p>BTC returns 0.01, 0.02, 0.03 and ETH returns 0.02, 0.04, 0.06 have rho 1 (ETH is 2 x BTC).
 */
public final class Correlation {

    /** Seed 003's minimum, counted as returns. */
    public static final int MIN_OBSERVATIONS = 30;

    private Correlation() {
    }

    public static Estimate<CorrelationMatrix> pearson(AlignedReturns returns) {
        int n = returns.observations();
        if (n < MIN_OBSERVATIONS) {
            return Estimate.insufficient("returns", MIN_OBSERVATIONS, n);
        }
        List<String> symbols = returns.symbols();
        int m = symbols.size();
        double[][] z = new double[n][m];
        for (int j = 0; j < m; j++) {
            double[] r = returns.returns(symbols.get(j)).view();
            double mean = new Mean().evaluate(r);
            double sumSquares = 0;
            for (int t = 0; t < n; t++) {
                double d = r[t] - mean;
                z[t][j] = d;
                sumSquares += d * d;
            }
            if (sumSquares == 0) {
                return Estimate.undefined("returns of " + symbols.get(j) + " never change: no correlation");
            }
            double scale = 1 / Math.sqrt(sumSquares);
            for (int t = 0; t < n; t++) {
                z[t][j] *= scale;
            }
        }
        RealMatrix zz = new BlockRealMatrix(z);
        RealMatrix product = zz.transposeMultiply(zz);
        double[][] rho = new double[m][m];
        for (int i = 0; i < m; i++) {
            rho[i][i] = 1;
            for (int j = 0; j < i; j++) {
                // rounding can leave |rho| a hair above 1
                double v = Math.max(-1, Math.min(1, product.getEntry(i, j)));
                rho[i][j] = v;
                rho[j][i] = v;
            }
        }
        return Estimate.ready(new CorrelationMatrix(symbols, rho, n));
    }
}
