package io.riskgate.portfolio;

import java.util.List;

/** A closed trade's result, kept for streak rules: positive P&L is a WIN, negative a LOSS, zero FLAT. */
public enum TradeResult {
    WIN, LOSS, FLAT;

    public static TradeResult of(double pnl) {
        return pnl > 0 ? WIN : pnl < 0 ? LOSS : FLAT;
    }

    /** The newest {@code n} of {@code results} (kept newest first): the window a win rate is measured over. */
    public static List<TradeResult> newest(List<TradeResult> results, int n) {
        return results.subList(0, Math.min(n, results.size()));
    }

    /** The share of WINs in {@code window}; 0 when it is empty. Seed 004: 6 wins in the last 10 trades = 0.6. */
    public static double winRate(List<TradeResult> window) {
        return window.isEmpty() ? 0 : window.stream().filter(r -> r == WIN).count() / (double) window.size();
    }
}
