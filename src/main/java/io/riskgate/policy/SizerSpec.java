package io.riskgate.policy;

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
 *       volatility (standard deviation of its returns over the analytics window).</li>
 * </ul>
 */
public record SizerSpec(Method method, double baseFraction, double minFraction, double maxFraction,
                        String confidenceKey, double kellyFraction, double targetVolatility) {

    public enum Method { FIXED_FRACTION, CONFIDENCE_WEIGHTED, KELLY, VOLATILITY_ADJUSTED }
}
