package io.riskgate.portfolio;

/** A closed trade's result, kept for streak rules: positive P&L is a WIN, negative a LOSS, zero FLAT. */
public enum TradeResult {
    WIN, LOSS, FLAT;

    public static TradeResult of(double pnl) {
        return pnl > 0 ? WIN : pnl < 0 ? LOSS : FLAT;
    }
}
