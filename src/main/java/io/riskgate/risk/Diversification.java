package io.riskgate.risk;

import java.util.List;
import org.hipparchus.stat.descriptive.moment.StandardDeviation;

/**
 * How spread a book is (seed 003's "diversification metrics").
 *
 * <pre>
 * share s_i           = |notional_i| / sum_j |notional_j|       (shares of gross exposure, sum to 1)
 * Herfindahl HHI      = sum_i s_i^2                              (1/N when equal, 1 when all in one)
 * effective positions = 1 / HHI
 * diversification     = sum_i |w_i| x sigma_i / sigma_p         (w_i = notional_i / portfolio value,
 *   ratio                                                         sigma_p of the portfolio's return series)
 * </pre>
 *
 * Four positions of 4,000, 3,000, 2,000 and 1,000 have shares 0.4, 0.3, 0.2, 0.1, HHI 0.30 and 3.33 effective
 * positions; the largest is 40% of the gross exposure.
 */
public final class Diversification {

    /** The ratio rests on co-movement, so it asks for as much history as {@link Correlation}. */
    public static final int MIN_OBSERVATIONS = Correlation.MIN_OBSERVATIONS;

    private Diversification() {
    }

    public static Concentration concentration(Exposures exposures) {
        List<Exposure> positions = exposures.positions();
        double gross = 0;
        for (Exposure e : positions) {
            gross += Math.abs(e.notional());
        }
        double hhi = 0;
        Exposure largest = positions.get(0);
        for (Exposure e : positions) {
            double share = Math.abs(e.notional()) / gross;
            hhi += share * share;
            if (Math.abs(e.notional()) > Math.abs(largest.notional())) {
                largest = e;
            }
        }
        double largestNotional = Math.abs(largest.notional());
        return new Concentration(hhi, 1 / hhi, largest.symbol(), largestNotional / gross,
                largestNotional / exposures.portfolioValue());
    }

    /**
     * Weighted average volatility over portfolio volatility: 1 when the positions move together, higher as
     * correlations fall (Choueifaty and Coignard's diversification ratio; shorts enter with |w|).
     */
    public static Estimate<DiversificationRatio> ratio(Exposures exposures, AlignedReturns returns) {
        Returns portfolio = exposures.portfolioReturns(returns);
        int n = portfolio.size();
        if (n < MIN_OBSERVATIONS) {
            return Estimate.insufficient("returns", MIN_OBSERVATIONS, n);
        }
        double[] w = exposures.weights();
        double weighted = 0;
        for (int i = 0; i < w.length; i++) {
            double[] r = returns.returns(exposures.positions().get(i).symbol()).view();
            weighted += Math.abs(w[i]) * new StandardDeviation().evaluate(r);
        }
        double sigmaP = new StandardDeviation().evaluate(portfolio.view());
        if (sigmaP == 0) {
            return Estimate.undefined("the portfolio's returns never change: no diversification ratio");
        }
        return Estimate.ready(new DiversificationRatio(weighted, sigmaP, weighted / sigmaP));
    }

    /**
     * @param herfindahl sum of squared shares of gross exposure, in [1/N, 1]
     * @param effectivePositions 1 / herfindahl
     * @param largestShareOfGross the largest position's |notional| over the gross exposure
     * @param largestShareOfValue the largest position's |notional| over the portfolio value (above 1 with leverage)
     */
    public record Concentration(double herfindahl, double effectivePositions, String largestSymbol,
            double largestShareOfGross, double largestShareOfValue) {
    }

    /**
     * Per-period volatilities (standard deviations of returns, not annualised) and their ratio.
     *
     * @param weightedVolatility sum of |w_i| x sigma_i, the volatility if every correlation were 1
     * @param portfolioVolatility sigma of the portfolio's return series
     */
    public record DiversificationRatio(double weightedVolatility, double portfolioVolatility, double ratio) {
    }
}
