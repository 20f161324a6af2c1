package io.riskgate.sizing;

/**
 * A sizing policy that answers "what fraction of equity?" from the trade's signals: {@link KellySizer},
 * {@link FixedFractionSizer}, {@link VolatilityAdjustedSizer}, {@link RegimeSizer},
 * {@link ConfidenceWeightedSizer}. The result is clamped to the sizer's {@link FractionLimits}.
 *
 * <p>The fraction is a plain share of equity; the caller's policy says what it is a share of: seed 003 uses it as
 * the equity put at risk on the trade (feeding {@link AtrSizer}'s risk %), seed 004 as the equity allocated to
 * the position. A sizer whose signal is missing from {@link SizingSignals} throws {@link IllegalArgumentException}
 * naming it, so the check fails closed instead of sizing on a default.
 */
public interface FractionSizer {

    EquityFraction size(SizingSignals signals);
}
