package io.riskgate.risk;

/**
 * What a VaR figure is asked for: the confidence level and the horizon in return periods (with daily returns,
 * {@code new VarSpec(0.99, 10)} is the 10-day 99% VaR).
 *
 * @param confidence in [0.5, 1): 0.95 or 0.99, not the tail probability 0.05 or 0.01
 * @param horizon periods ahead, >= 1
 */
public record VarSpec(double confidence, int horizon) {

    public VarSpec {
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in [0.5, 1), was " + confidence
                    + " (pass 0.95 for a 5% tail)");
        }
        Args.atLeast("horizon", horizon, 1);
    }

    /** One period ahead at {@code confidence}. */
    public static VarSpec onePeriod(double confidence) {
        return new VarSpec(confidence, 1);
    }

    /** The share of outcomes in the tail, 1 - confidence. */
    public double tail() {
        return 1 - confidence;
    }

    /** Square-root-of-time factor that takes a one-period figure to the horizon. */
    public double horizonScale() {
        return Math.sqrt(horizon);
    }
}
