package io.riskgate.risk.indicators;

import io.riskgate.risk.Args;
import io.riskgate.risk.Estimate;

/**
 * Exponential moving average of closes.
 *
 * <pre>
 * alpha  = 2 / (n + 1)
 * EMA_n  = (close_1 + ... + close_n) / n         (seeded with the simple mean of the first n closes)
 * EMA_t  = alpha x close_t + (1 - alpha) x EMA_(t-1)
 * </pre>
 *
 * Needs n closes; fewer give {@link Estimate.InsufficientData}. With n = 3 (alpha 0.5) and closes 10, 11, 12, 14
 * the EMA is 11 after the third close and 0.5 x 14 + 0.5 x 11 = 12.5 after the fourth.
 */
public final class Ema {

    private final int period;

    public Ema(int period) {
        this.period = Args.atLeast("period", period, 1);
    }

    public int period() {
        return period;
    }

    /** The EMA after the last of {@code closes} (oldest first, each finite). */
    public Estimate<IndicatorValue> latest(double... closes) {
        double[] c = Args.finiteCopy("closes", closes);
        if (c.length < period) {
            return Estimate.insufficient("closes", period, c.length);
        }
        double alpha = 2.0 / (period + 1);
        double ema = 0;
        for (int t = 0; t < period; t++) {
            ema += c[t];
        }
        ema /= period;
        for (int t = period; t < c.length; t++) {
            ema = alpha * c[t] + (1 - alpha) * ema;
        }
        return Estimate.ready(new IndicatorValue(period, c.length, ema));
    }
}
