package io.riskgate.decision;

import java.time.Instant;

/**
 * The account as the decision saw it, kept in the audit so the decision can be explained (and replayed) later:
 * the equity snapshot it used, the slots taken and the exposure already held overall, on the order's asset and on
 * its strategy (open positions plus approved, unfilled reservations).
 *
 * @param equity null when none was known ({@code NO_EQUITY})
 * @param strategyExposure null when the order names no strategy
 */
public record AccountState(Double equity, Instant equityAt, int openPositions, int reservedTrades, double exposure,
                           double assetExposure, Double strategyExposure, Instant accountClock) {
}
