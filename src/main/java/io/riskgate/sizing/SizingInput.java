package io.riskgate.sizing;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Everything {@link AtrSizer} needs, as plain numbers.
 *
 * @param direction +1 long, -1 short
 * @param riskMultiplier product of the factors the rules produced (1.0 when none fired)
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
        List<Cap> caps) {

    public SizingInput {
        if (direction != 1 && direction != -1) {
            throw new IllegalArgumentException("direction must be +1 or -1, was " + direction);
        }
        if (!(equity > 0) || !(marketPrice > 0) || !(atr > 0)) {
            throw new IllegalArgumentException("equity, price and atr must be > 0, were " + equity + ", "
                    + marketPrice + ", " + atr);
        }
        caps = List.copyOf(caps);
    }
}
