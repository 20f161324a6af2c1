package io.riskgate.sizing;

import io.riskgate.base.Checks;

/**
 * Sizes inversely to volatility (seed 003's 'volatility_adjusted': "scales inversely with market volatility").
 *
 * <pre>
 * fraction = baseFraction x targetVolatility / realizedVolatility, clamped to the limits
 * </pre>
 *
 * Seed 003's call (target 200, market volatility 500) scales by 0.4: a 2% base gives 0.008. The two
 * volatilities must be in one unit (both ATR in price, or both a return standard deviation).
 */
public final class VolatilityAdjustedSizer implements FractionSizer {

    private final double baseFraction;
    private final double targetVolatility;
    private final FractionLimits limits;

    /**
     * @param baseFraction the fraction when realised volatility equals the target, in [0, 1]
     * @param targetVolatility > 0
     */
    public VolatilityAdjustedSizer(double baseFraction, double targetVolatility, FractionLimits limits) {
        this.baseFraction = Checks.inRange("baseFraction", baseFraction, 0, 1);
        this.targetVolatility = Checks.positive("targetVolatility", targetVolatility);
        this.limits = FractionLimits.required(limits);
    }

    @Override
    public EquityFraction size(SizingSignals signals) {
        double realized = SizingSignals.require(signals.realizedVolatility(), "realizedVolatility",
                "VolatilityAdjustedSizer");
        return limits.clamp(baseFraction * targetVolatility / realized);
    }
}
