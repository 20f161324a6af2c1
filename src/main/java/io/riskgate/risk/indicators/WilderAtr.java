package io.riskgate.risk.indicators;

import io.riskgate.risk.Args;
import io.riskgate.risk.Estimate;
import java.util.List;

/**
 * Average true range with Wilder's smoothing ("New Concepts in Technical Trading Systems", 1978).
 *
 * <pre>
 * TR_1   = high_1 - low_1                       (no previous close)
 * TR_t   = max(high - low, |high - close_(t-1)|, |low - close_(t-1)|)
 * ATR_n  = (TR_1 + ... + TR_n) / n              (seed: simple mean of the first n true ranges)
 * ATR_t  = (ATR_(t-1) x (n - 1) + TR_t) / n
 * </pre>
 *
 * Needs n bars; fewer give {@link Estimate.InsufficientData}. With n = 3 and true ranges 2, 3, 4, 8 the ATR is
 * 3 after the third bar and (3 x 2 + 8) / 3 = 4.667 after the fourth.
 *
 * <p>Written here rather than taken from ta4j: ta4j's {@code ATRIndicator} seeds its smoothing with the first
 * true range, not the mean of the first n, so its early values differ from Wilder's.
 */
public final class WilderAtr {

    private final int period;

    public WilderAtr(int period) {
        this.period = Args.atLeast("period", period, 1);
    }

    public int period() {
        return period;
    }

    /** The ATR after the last bar of {@code bars} (oldest first). */
    public Estimate<IndicatorValue> latest(List<Bar> bars) {
        if (bars.size() < period) {
            return Estimate.insufficient("bars", period, bars.size());
        }
        double sum = 0;
        for (int t = 0; t < period; t++) {
            sum += trueRange(bars, t);
        }
        double atr = sum / period;
        for (int t = period; t < bars.size(); t++) {
            atr = (atr * (period - 1) + trueRange(bars, t)) / period;
        }
        return Estimate.ready(new IndicatorValue(period, bars.size(), atr));
    }

    private static double trueRange(List<Bar> bars, int t) {
        Bar bar = bars.get(t);
        return t == 0 ? bar.high() - bar.low() : bar.trueRange(bars.get(t - 1).close());
    }
}
