package io.riskgate.sizing;

import io.riskgate.base.Checks;

/**
 * The smallest and largest fraction of equity a sizer may return (seed 004's min_fraction and max_fraction:
 * 0.005 and 0.10 for a proven strategy, 0.001 and 0.01 for an experimental one).
 */
public record FractionLimits(double min, double max) {

    public FractionLimits {
        Checks.inRange("min", min, 0, 1);
        Checks.inRange("max", max, 0, 1);
        if (min > max) {
            throw new IllegalArgumentException("min must be <= max, was " + min + " > " + max);
        }
    }

    /** {@code limits}, failing when it is null: for the sizers' constructors. */
    static FractionLimits required(FractionLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        return limits;
    }

    /** {@code raw} moved into [min, max], saying which bound, if any, it hit. */
    public EquityFraction clamp(double raw) {
        if (raw < min) {
            return new EquityFraction(min, raw, EquityFraction.Bound.MIN);
        }
        if (raw > max) {
            return new EquityFraction(max, raw, EquityFraction.Bound.MAX);
        }
        return new EquityFraction(raw, raw, EquityFraction.Bound.NONE);
    }
}
