package io.riskgate.sizing;

import io.riskgate.base.Checks;

/**
 * Seed 004's 'confidence_weighted' policy: allocation scales with the signal's confidence.
 *
 * <pre>
 * fraction = clamp(baseFraction x confidence, min_fraction, max_fraction)
 * </pre>
 *
 * Seed 004's experimental strategy (base 0.5%, min 0.1%, max 1%): confidence 0.8 gives 0.004; confidence 0.1
 * gives 0.0005, raised to the 0.001 minimum.
 */
public final class ConfidenceWeightedSizer implements FractionSizer {

    private final double baseFraction;
    private final FractionLimits limits;

    /** @param baseFraction the fraction at confidence 1, in [0, 1] */
    public ConfidenceWeightedSizer(double baseFraction, FractionLimits limits) {
        this.baseFraction = Checks.inRange("baseFraction", baseFraction, 0, 1);
        this.limits = FractionLimits.required(limits);
    }

    @Override
    public EquityFraction size(SizingSignals signals) {
        double confidence = SizingSignals.require(signals.confidence(), "confidence", "ConfidenceWeightedSizer");
        return limits.clamp(baseFraction * confidence);
    }
}
