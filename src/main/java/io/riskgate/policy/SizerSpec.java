package io.riskgate.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A strategy's own sizing method (seed 004's per-strategy overrides; seed 003's algorithms): the position is a
 * fraction of equity chosen by {@code method}, kept within [minFraction, maxFraction], instead of the ATR risk
 * budget. The stop and target are computed as for every order; the caps and the max risk per trade still apply.
 *
 * <ul>
 *   <li>{@code FIXED_FRACTION}: {@code baseFraction} of equity;</li>
 *   <li>{@code CONFIDENCE_WEIGHTED}: {@code baseFraction} x the signal's {@code confidenceKey} (confidence or
 *       strength, in [0, 1]): 0.02 at confidence 0.75 is 1.5%;</li>
 *   <li>{@code KELLY}: {@code kellyFraction} x (p - (1 - p) / b), p the account's win rate over the governor's
 *       win-rate window (at least its min trades, else {@code minFraction}), b the order's reward:risk;</li>
 *   <li>{@code VOLATILITY_ADJUSTED}: {@code baseFraction} x {@code targetVolatility} / the symbol's realized
 *       volatility (standard deviation of its returns over the analytics window);</li>
 *   <li>{@code REGIME_BASED}: {@code baseFraction} x the factor {@code regimes} gives the order's
 *       {@code market.regime}, else {@code defaultRegime}'s (seed 003's 'regime_based'): 0.02 x bullish 1.2 is
 *       2.4%. An order naming a regime the map lacks is rejected ({@code UNKNOWN_REGIME}, rules/gates.drl).</li>
 * </ul>
 *
 * @param regimes {@code REGIME_BASED} only (empty otherwise): regime name to factor, in the policy's order
 * @param defaultRegime {@code REGIME_BASED} only (empty otherwise): the regime of an order that names none
 */
public record SizerSpec(Method method, double baseFraction, double minFraction, double maxFraction,
                        String confidenceKey, double kellyFraction, double targetVolatility,
                        Map<String, Double> regimes, String defaultRegime) {

    /**
     * What a regime name may look like, in a policy and in a request: a lower-case identifier of at most 32
     * characters ({@code bullish}, {@code high_vol}). A request's name is checked against it before anything reads
     * it, so it can only ever be compared, never run.
     */
    public static final String REGIME_NAME = "[a-z][a-z0-9_]{0,31}";

    public enum Method { FIXED_FRACTION, CONFIDENCE_WEIGHTED, KELLY, VOLATILITY_ADJUSTED, REGIME_BASED }

    public SizerSpec {
        if (regimes == null || defaultRegime == null) {
            throw new IllegalArgumentException("regimes and defaultRegime must not be null; use empty ones");
        }
        regimes = Collections.unmodifiableMap(new LinkedHashMap<>(regimes));
    }

    /** The regime an order is sized in: the one it names, else {@code defaultRegime}. */
    public String regimeOf(Optional<String> orderRegime) {
        return orderRegime.orElse(defaultRegime);
    }

    /** True when {@code regime} has a factor in {@link #regimes()}. */
    public boolean mapsRegime(String regime) {
        return regimes.containsKey(regime);
    }
}
