package io.riskgate.sizing;

import java.util.List;

/**
 * A sized position and the working behind it, so an audit can replay the arithmetic.
 *
 * @param riskAmount equity x risk % (the risk budget)
 * @param riskQuantity riskAmount / stopDistance, before any cap
 * @param bindingCap the cap that set the notional, or {@code RISK} when the risk budget did
 * @param riskAtStop what the final quantity loses at the stop: quantity x stopDistance
 */
public record SizingResult(
        double entry,
        double stopLoss,
        double takeProfit,
        double stopDistance,
        StopSource stopSource,
        double riskPct,
        double riskAmount,
        double riskQuantity,
        double quantity,
        double notional,
        String bindingCap,
        List<Cap> caps,
        double rewardRisk,
        double riskAtStop) {
}
