package io.riskgate.facts;

/**
 * A strategy's position limits, set by its row of the per-strategy decision table (seed 002).
 *
 * @param maxPositionPct the strategy's total position as a fraction of equity: 0.15 of 10,000 is 1,500
 * @param maxLeverage notional / equity the strategy may carry: 1.2 lets 10,000 of equity hold 12,000;
 *        NaN when the row leaves it blank (the policy's max leverage applies)
 */
public record StrategyLimits(String rule, double maxPositionPct, double maxLeverage) {
}
