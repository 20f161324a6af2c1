package io.riskgate.sizing;

import io.riskgate.base.Checks;

/**
 * The same fraction for every trade (seed 004's default 'fixed_fraction' policy; seed 003's 'fixed_risk' when the
 * fixed amount is expressed as a share of equity), clamped to the limits.
 *
 * <p>Seed 004's proven strategy: 2% within [0.5%, 10%] gives 0.02. Seed 003's fixed risk of 200 on 10,000 of
 * equity is {@code ofRiskAmount(200, 10_000, limits)}: 0.02.
 */
public final class FixedFractionSizer implements FractionSizer {

    private final double fraction;
    private final FractionLimits limits;

    /** @param fraction in [0, 1] */
    public FixedFractionSizer(double fraction, FractionLimits limits) {
        this.fraction = Checks.inRange("fraction", fraction, 0, 1);
        this.limits = FractionLimits.required(limits);
    }

    /** A fixed amount of money on equity of {@code equity}: amount / equity. */
    public static FixedFractionSizer ofRiskAmount(double amount, double equity, FractionLimits limits) {
        Checks.positive("equity", equity);
        Checks.nonNegative("amount", amount);
        return new FixedFractionSizer(amount / equity, limits);
    }

    @Override
    public EquityFraction size(SizingSignals signals) {
        return limits.clamp(fraction);
    }
}
