package io.riskgate.sizing;

import io.riskgate.base.Checks;

/**
 * A sizer's answer: the fraction of equity to use, what the formula gave before the limits, and which limit
 * applied. Kelly 0.20 with max 0.10 is {@code EquityFraction(0.10, 0.20, MAX)}.
 *
 * @param value the fraction to use, in [0, 1]
 * @param raw the formula's value before {@link FractionLimits} (may be negative for Kelly)
 */
public record EquityFraction(double value, double raw, Bound bound) {

    public EquityFraction {
        Checks.inRange("value", value, 0, 1);
        if (!Double.isFinite(raw) || bound == null) {
            throw new IllegalArgumentException("raw must be finite and bound set, were " + raw + ", " + bound);
        }
    }

    /** Which limit, if any, decided the value. */
    public enum Bound {
        /** The formula's value was within the limits. */
        NONE,
        /** Raised to the minimum fraction. */
        MIN,
        /** Lowered to the maximum fraction. */
        MAX,
        /** Kelly found no edge (f* <= 0): size 0, whatever the minimum. */
        NO_EDGE
    }
}
