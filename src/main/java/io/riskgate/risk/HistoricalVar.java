package io.riskgate.risk;


/**
 * Historical-simulation VaR: the past returns, ranked, are the scenarios for the next period.
 *
 * <pre>
 * k   = ceil(n x (1 - c))                 the number of tail scenarios (at least 1)
 * VaR = - (k-th lowest return)            the inverse empirical CDF at 1 - c (Hyndman-Fan type 1)
 * ES  = - mean(the k lowest returns)      the tail, the VaR scenario included
 * horizon h: both x sqrt(h)
 * </pre>
 *
 * This is Hull's convention: with 500 scenarios the 99% VaR is the 5th-worst loss and the ES the mean of the five
 * worst. With 20 returns at 95%, k = 1: VaR and ES are both the worst loss. Over h periods the one-period figures
 * are scaled by sqrt(h) (i.i.d. returns assumed, as in the Basel 10-day-from-1-day rule) rather than ranking
 * overlapping h-period returns, which would need h times the history.
 *
 * <p>The rank is computed here, not with Hipparchus' {@code Percentile}: its R_1 estimator reads
 * 1 - 0.99 = 0.010000000000000009 as just over 1% and returns the 6th-worst of 500, not the 5th.
 */
public final class HistoricalVar implements VarModel {

    /** Absorbs the floating-point error in n x (1 - c), so 500 x (1 - 0.99) counts 5 scenarios, not 6. */
    private static final double RANK_TOLERANCE = 1e-9;

    @Override
    public Estimate<VarResult> estimate(Returns returns, VarSpec spec) {
        int n = returns.size();
        if (n < MIN_OBSERVATIONS) {
            return Estimate.insufficient("returns", MIN_OBSERVATIONS, n);
        }
        int k = tailCount(n, spec.confidence());
        double[] tail = lowest(returns.toArray(), k);
        double tailSum = 0;
        for (int i = 0; i < k; i++) {
            tailSum += tail[i];
        }
        double scale = spec.horizonScale();
        return Estimate.ready(new VarResult(VarMethod.HISTORICAL, spec, n, -tail[k - 1] * scale,
                -tailSum / k * scale));
    }

    /**
     * The {@code k} lowest of {@code values}, ascending: the first {@code k} of {@code values} sorted, found without
     * sorting all of them (a check estimates VaR over hundreds of returns and needs the worst few percent).
     */
    static double[] lowest(double[] values, int k) {
        double[] tail = new double[k];
        int filled = 0;
        for (double v : values) {
            if (filled == k && Double.compare(v, tail[k - 1]) >= 0) {
                continue;
            }
            // insert v after the values not above it, as a stable sort would place it; the last falls out when full
            int at = filled == k ? k - 1 : filled;
            while (at > 0 && Double.compare(tail[at - 1], v) > 0) {
                tail[at] = tail[at - 1];
                at--;
            }
            tail[at] = v;
            if (filled < k) {
                filled++;
            }
        }
        return tail;
    }

    /** ceil(n x (1 - confidence)), at least 1: how many of n scenarios form the tail. */
    static int tailCount(int n, double confidence) {
        return Math.max(1, (int) Math.ceil(n * (1 - confidence) - RANK_TOLERANCE));
    }
}
