package io.riskgate.risk;

import io.riskgate.base.Checks;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.stat.descriptive.moment.Mean;
import org.hipparchus.stat.descriptive.moment.StandardDeviation;

/**
 * Variance-covariance (normal) VaR: returns are taken as normal with the sample mean mu and standard deviation
 * sigma (n - 1 in the denominator) of the past returns.
 *
 * <pre>
 * z   = inverse standard normal CDF at c        (2.3263 at 99%, 1.6449 at 95%)
 * VaR = z x sigma x sqrt(h) - mu x h
 * ES  = sigma x sqrt(h) x phi(z) / (1 - c) - mu x h     (phi: standard normal density)
 * </pre>
 *
 * Hull's example ("Options, Futures, and Other Derivatives", VaR chapter): $10 million in one stock with a daily
 * sigma of 2% and mean 0 has a 10-day 99% VaR of 2% x sqrt(10) x 2.3263 = 14.71%, $1,471,311 (Hull rounds z to
 * 2.33 and prints $1,473,621). Hipparchus computes z, phi, the mean and the standard deviation.
 */
public final class ParametricVar implements VarModel {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    @Override
    public Estimate<VarResult> estimate(Returns returns, VarSpec spec) {
        int n = returns.size();
        if (n < MIN_OBSERVATIONS) {
            return Estimate.insufficient("returns", MIN_OBSERVATIONS, n);
        }
        double[] r = returns.view();
        return Estimate.ready(normal(new Mean().evaluate(r), new StandardDeviation().evaluate(r), n, spec));
    }

    /**
     * VaR and ES from a one-period mean and standard deviation obtained elsewhere (e.g. a volatility feed); the
     * result's {@code observations} is 0.
     */
    public static VarResult fromMoments(double mean, double standardDeviation, VarSpec spec) {
        Args.finite("mean", mean);
        Checks.nonNegative("standardDeviation", standardDeviation);
        return normal(mean, standardDeviation, 0, spec);
    }

    private static VarResult normal(double mean, double sd, int observations, VarSpec spec) {
        double z = STANDARD_NORMAL.inverseCumulativeProbability(spec.confidence());
        double sigma = sd * spec.horizonScale();
        double drift = mean * spec.horizon();
        double var = z * sigma - drift;
        double es = sigma * STANDARD_NORMAL.density(z) / spec.tail() - drift;
        return new VarResult(VarMethod.PARAMETRIC_NORMAL, spec, observations, var, es);
    }
}
