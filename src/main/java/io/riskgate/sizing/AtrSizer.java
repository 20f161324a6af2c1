package io.riskgate.sizing;

import java.util.ArrayList;
import java.util.List;

/**
 * Seed 001's ATR position sizing, bounded by the caps the engine passes in.
 *
 * <pre>
 * stop distance = k x ATR            (or the strategy's stop %, or |entry - caller stop|)
 * risk amount   = equity x clamp(risk % x multipliers, min risk %, max risk %)
 * quantity      = min(risk amount / stop distance, every cap / entry)
 * </pre>
 *
 * Seed 001's example: equity 10,000, risk 1%, ATR 1,500, k 1.5 gives risk 100 over a 2,250 stop,
 * 0.0444 BTC (2,222 notional); the 500 max position binds, so 0.01 BTC. Stop 50,000 - 2,250 = 47,750;
 * take-profit 50,000 + 3.75 x 1,500 = 55,625.
 */
public final class AtrSizer {

    /** Quantities are floored to this many decimal places so a cap is never overshot by rounding. */
    public static final int QUANTITY_DECIMALS = 8;

    public SizingResult size(SizingInput in) {
        SizingInput.Order o = in.order();
        SizingInput.Risk r = in.risk();
        SizingInput.Levels l = in.levels();
        double entry = o.entry().orElse(o.marketPrice());
        int dir = o.direction();

        StopSource source;
        double distance;
        if (o.stopLoss().isPresent()) {
            source = StopSource.CALLER;
            distance = Math.abs(entry - o.stopLoss().getAsDouble());
        } else if (l.strategyStopPct().isPresent()) {
            source = StopSource.STRATEGY_PCT;
            distance = entry * l.strategyStopPct().getAsDouble();
        } else {
            source = StopSource.ATR;
            distance = l.stopAtrMultiple() * o.atr();
        }
        if (!(distance > 0)) {
            throw new IllegalArgumentException("stop distance must be > 0, was " + distance);
        }
        double stopLoss = entry - dir * distance;

        double takeProfit;
        if (o.takeProfit().isPresent()) {
            takeProfit = o.takeProfit().getAsDouble();
        } else if (l.strategyTakeProfitPct().isPresent()) {
            takeProfit = entry + dir * entry * l.strategyTakeProfitPct().getAsDouble();
        } else if (source == StopSource.ATR) {
            takeProfit = entry + dir * l.takeProfitAtrMultiple() * o.atr();
        } else {
            takeProfit = entry + dir * l.targetRewardRisk() * distance;
        }
        double rewardRisk = dir * (takeProfit - entry) / distance;

        double riskPct = Math.min(r.maxRiskPct(), r.protectiveMultiplier()
                * Math.max(r.minRiskPct(), Math.min(r.maxRiskPct(), r.baseRiskPct() * r.riskMultiplier())));
        double riskAmount = r.equity() * riskPct;
        double riskQuantity = riskAmount / distance;

        double notional = riskQuantity * entry;
        String binding = "RISK";
        List<Cap> caps = new ArrayList<>(in.caps());
        if (!Double.isNaN(in.targetNotional())) {
            // a fraction sizer chose the position; its risk at the stop may not exceed the max risk per trade
            notional = Math.max(0, in.targetNotional());
            binding = "SIZER";
            caps.add(new Cap(CapName.MAX_RISK, r.maxRiskPct() * r.equity() / distance * entry));
            riskAmount = notional / entry * distance;
            riskPct = riskAmount / r.equity();
            riskQuantity = notional / entry;
        }
        for (Cap c : in.riskCaps()) {
            // a cap on the amount at the stop (a risk budget's remainder) as the notional that puts it at risk
            caps.add(new Cap(c.name(), Math.max(0, c.notional()) / distance * entry));
        }
        for (Cap c : caps) {
            if (c.notional() < notional) {
                notional = c.notional();
                binding = c.name().name();
            }
        }
        double quantity = floor(Math.max(0, notional), entry);
        return new SizingResult(entry, stopLoss, takeProfit, distance, source, riskPct, riskAmount, riskQuantity,
                quantity, quantity * entry, binding, caps, rewardRisk, quantity * distance);
    }

    /**
     * notional / entry rounded down to {@link #QUANTITY_DECIMALS} places, in decimal arithmetic on the two
     * numbers as written (500 / 50,000 is exactly 0.01, not 0.00999999), so rounding never adds to a cap.
     */
    static double floor(double notional, double entry) {
        return new java.math.BigDecimal(Double.toString(notional))
                .divide(new java.math.BigDecimal(Double.toString(entry)), QUANTITY_DECIMALS,
                        java.math.RoundingMode.FLOOR)
                .doubleValue();
    }
}
