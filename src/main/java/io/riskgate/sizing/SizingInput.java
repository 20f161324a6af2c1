package io.riskgate.sizing;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Everything {@link AtrSizer} needs, as plain numbers, in three groups: the order, the risk budget and how the
 * price levels are placed.
 *
 * @param caps notional caps; the smallest binds
 * @param targetNotional the position a fraction sizer chose (fraction x equity, already with the protective
 *        factors), used instead of the risk budget; NaN for ATR risk sizing. The caps still apply, and the risk at
 *        the stop is capped at maxRiskPct of equity
 */
public record SizingInput(Order order, Risk risk, Levels levels, List<Cap> caps, double targetNotional,
                          List<Cap> riskCaps) {

    /** An input without caps on the amount at risk. */
    public SizingInput(Order order, Risk risk, Levels levels, List<Cap> caps, double targetNotional) {
        this(order, risk, levels, caps, targetNotional, List.of());
    }

    /**
     * The order as the caller sent it.
     *
     * @param direction +1 long, -1 short
     * @param entry the caller's entry (else the market price); {@code stopLoss}, {@code takeProfit} its levels
     */
    public record Order(int direction, double marketPrice, double atr, OptionalDouble entry, OptionalDouble stopLoss,
                        OptionalDouble takeProfit) {

        public Order {
            if (direction != 1 && direction != -1) {
                throw new IllegalArgumentException("direction must be +1 or -1, was " + direction);
            }
            if (!(marketPrice > 0) || !(atr > 0)) {
                throw new IllegalArgumentException("price and atr must be > 0, were " + marketPrice + ", " + atr);
            }
        }
    }

    /**
     * The risk budget.
     *
     * @param riskMultiplier product of the signal-quality factors the rules produced (1.0 when none fired); the
     *        risk it gives is clamped to [minRiskPct, maxRiskPct]
     * @param maxRiskPct the policy's max risk, already lowered to the hard cap by the caller
     * @param protectiveMultiplier the governor's factors (losing streak, recovery, drawdown...), applied after that
     *        clamp and capped by maxRiskPct only: a halving in a losing streak is not undone by the minimum risk
     */
    public record Risk(double equity, double baseRiskPct, double riskMultiplier, double minRiskPct, double maxRiskPct,
                       double protectiveMultiplier) {

        public Risk {
            if (!(equity > 0)) {
                throw new IllegalArgumentException("equity must be > 0, was " + equity);
            }
            if (!(protectiveMultiplier >= 0) || !Double.isFinite(protectiveMultiplier)) {
                throw new IllegalArgumentException("protectiveMultiplier must be >= 0, was " + protectiveMultiplier);
            }
        }
    }

    /**
     * Where the stop and the take-profit go when the caller sends none: ATR multiples, a reward:risk target, or the
     * strategy's own percentages.
     */
    public record Levels(double stopAtrMultiple, double takeProfitAtrMultiple, double targetRewardRisk,
                         OptionalDouble strategyStopPct, OptionalDouble strategyTakeProfitPct) {
    }

    public SizingInput {
        caps = List.copyOf(caps);
        riskCaps = List.copyOf(riskCaps);
    }
}
