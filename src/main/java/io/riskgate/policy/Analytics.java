package io.riskgate.policy;

/**
 * Portfolio risk analytics (the policy's {@code analytics} section; seeds 001 and 003): which bars the engine
 * computes ATR, EMA, returns, VaR and correlation from, and the limits the analytics rules enforce.
 *
 * @param barInterval the interval of the stored bars used (1d: daily bars, daily returns)
 * @param returnsWindow at most this many latest returns per symbol (seed 003's examples use 500)
 * @param varMethod HISTORICAL or PARAMETRIC: the VaR the limit uses
 * @param maxVarPct the portfolio's VaR with the new order, over equity, must not exceed this
 * @param maxCorrelation a new position is refused when its direction-adjusted correlation with an open position of
 *        another asset exceeds this (seed 001 RM_MAX_CORRELATION=0.70)
 * @param maxPortfolioHeatPct the sum of every open position's risk to its stop, with the new one, over equity
 * @param missingDataRejects true: an order whose correlation or VaR cannot be measured (too few bars) is refused
 *        with INSUFFICIENT_MARKET_DATA; false: those two checks are skipped and the decision says so
 */
public record Analytics(String barInterval, int returnsWindow, double varConfidence, int varHorizonBars,
                        String varMethod, double maxVarPct, double maxCorrelation, double maxPortfolioHeatPct,
                        boolean missingDataRejects) {
}
