package io.riskgate.sizing;

/**
 * Kelly criterion, scaled down (seed 003: "kelly_fraction: 0.5 - 50% of Kelly for safety").
 *
 * <pre>
 * f*       = p - (1 - p) / b          p win rate, b average win / average loss
 * fraction = kellyFraction x f*, clamped to the limits; f* <= 0 (no edge) gives 0, never the minimum
 * </pre>
 *
 * Wikipedia's example (p 0.6, even odds b = 1) has f* = 0.6 - 0.4 / 1 = 0.20. Seed 003's history (win rate 0.6,
 * average win 100, average loss 50, so b = 2) has f* = 0.6 - 0.4 / 2 = 0.40, half Kelly 0.20, and the 10% maximum
 * gives 0.10.
 */
public final class KellySizer implements FractionSizer {

    /** Seed 003's kelly_fraction. */
    public static final double HALF_KELLY = 0.5;

    private final double kellyFraction;
    private final FractionLimits limits;

    /** @param kellyFraction the share of full Kelly to bet, in (0, 1] */
    public KellySizer(double kellyFraction, FractionLimits limits) {
        if (!(kellyFraction > 0 && kellyFraction <= 1)) {
            throw new IllegalArgumentException("kellyFraction must be in (0, 1], was " + kellyFraction);
        }
        this.kellyFraction = kellyFraction;
        this.limits = FractionLimits.required(limits);
    }

    /** Half Kelly, seed 003's default. */
    public static KellySizer halfKelly(FractionLimits limits) {
        return new KellySizer(HALF_KELLY, limits);
    }

    @Override
    public EquityFraction size(SizingSignals signals) {
        double p = SizingSignals.require(signals.winRate(), "winRate", "KellySizer");
        double b = SizingSignals.require(signals.payoffRatio(), "payoffRatio", "KellySizer");
        double raw = kellyFraction * (p - (1 - p) / b);
        if (raw <= 0) {
            return new EquityFraction(0, raw, EquityFraction.Bound.NO_EDGE);
        }
        return limits.clamp(raw);
    }
}
