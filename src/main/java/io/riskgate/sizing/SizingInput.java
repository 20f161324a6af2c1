package io.riskgate.sizing;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Everything {@link AtrSizer} needs, as plain numbers.
 *
 * @param direction +1 long, -1 short
 * @param riskMultiplier product of the signal-quality factors the rules produced (1.0 when none fired); the risk
 *        it gives is clamped to [minRiskPct, maxRiskPct]
 * @param protectiveMultiplier the governor's factors (losing streak, recovery, drawdown...), applied after that
 *        clamp and capped by maxRiskPct only: a halving in a losing streak is not undone by the minimum risk
 * @param targetNotional the position a fraction sizer chose (fraction x equity, already with the protective
 *        factors), used instead of the risk budget; NaN for ATR risk sizing. The caps still apply, and the risk at
 *        the stop is capped at maxRiskPct of equity
 * @param maxRiskPct the policy's max risk, already lowered to the hard cap by the caller
 * @param caps notional caps; the smallest binds
 */
public record SizingInput(
        int direction,
        double equity,
        double marketPrice,
        double atr,
        OptionalDouble entry,
        OptionalDouble stopLoss,
        OptionalDouble takeProfit,
        double baseRiskPct,
        double riskMultiplier,
        double minRiskPct,
        double maxRiskPct,
        double stopAtrMultiple,
        double takeProfitAtrMultiple,
        double targetRewardRisk,
        OptionalDouble strategyStopPct,
        OptionalDouble strategyTakeProfitPct,
        List<Cap> caps,
        double protectiveMultiplier,
        double targetNotional) {

    /** Without protective factors (1.0). */
    public SizingInput(int direction, double equity, double marketPrice, double atr, OptionalDouble entry,
                       OptionalDouble stopLoss, OptionalDouble takeProfit, double baseRiskPct, double riskMultiplier,
                       double minRiskPct, double maxRiskPct, double stopAtrMultiple, double takeProfitAtrMultiple,
                       double targetRewardRisk, OptionalDouble strategyStopPct, OptionalDouble strategyTakeProfitPct,
                       List<Cap> caps) {
        this(direction, equity, marketPrice, atr, entry, stopLoss, takeProfit, baseRiskPct, riskMultiplier,
                minRiskPct, maxRiskPct, stopAtrMultiple, takeProfitAtrMultiple, targetRewardRisk, strategyStopPct,
                strategyTakeProfitPct, caps, 1.0, Double.NaN);
    }

    public SizingInput {
        if (direction != 1 && direction != -1) {
            throw new IllegalArgumentException("direction must be +1 or -1, was " + direction);
        }
        if (!(equity > 0) || !(marketPrice > 0) || !(atr > 0)) {
            throw new IllegalArgumentException("equity, price and atr must be > 0, were " + equity + ", "
                    + marketPrice + ", " + atr);
        }
        caps = List.copyOf(caps);
        if (!(protectiveMultiplier >= 0) || !Double.isFinite(protectiveMultiplier)) {
            throw new IllegalArgumentException("protectiveMultiplier must be >= 0, was " + protectiveMultiplier);
        }
    }
}
