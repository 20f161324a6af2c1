package io.riskgate.sizing;

import io.riskgate.base.Checks;
import java.util.Map;
import java.util.TreeMap;

/**
 * A base fraction times the factor the caller's table gives the current market regime (seed 003's
 * 'regime_based', e.g. {@code {'trend': 'bullish', 'risk_multiplier': 1.2}}).
 *
 * <pre>
 * fraction = baseFraction x factor[regime], clamped to the limits
 * </pre>
 *
 * With a 2% base and {bullish: 1.2, normal: 1.0, bearish: 0.5}, a bullish market gives 0.024. A regime the table
 * does not name is an error, not a factor of 1.
 */
public final class RegimeSizer implements FractionSizer {

    private final double baseFraction;
    private final Map<String, Double> factors;
    private final FractionLimits limits;

    /**
     * @param baseFraction in [0, 1]
     * @param factors regime name to factor (finite, >= 0); at least one
     */
    public RegimeSizer(double baseFraction, Map<String, Double> factors, FractionLimits limits) {
        this.baseFraction = Checks.inRange("baseFraction", baseFraction, 0, 1);
        if (factors == null || factors.isEmpty()) {
            throw new IllegalArgumentException("factors must name at least one regime");
        }
        Map<String, Double> copy = new TreeMap<>();
        factors.forEach((regime, factor) -> {
            Checks.notBlank("regime", regime);
            if (factor == null) {
                throw new IllegalArgumentException("factor of regime " + regime + " must not be null");
            }
            copy.put(regime, Checks.nonNegative("factor of regime " + regime, factor));
        });
        this.factors = Map.copyOf(copy);
        this.limits = FractionLimits.required(limits);
    }

    @Override
    public EquityFraction size(SizingSignals signals) {
        String regime = signals.regime().orElseThrow(
                () -> new IllegalArgumentException("RegimeSizer needs the regime signal"));
        Double factor = factors.get(regime);
        if (factor == null) {
            throw new IllegalArgumentException("no factor for regime " + regime + "; have "
                    + new TreeMap<>(factors).keySet());
        }
        return limits.clamp(baseFraction * factor);
    }
}
