package io.riskgate.portfolio;

import java.time.Instant;

/**
 * One reported equity snapshot with the drawdown it stood at: {@code peak} is the highest equity reported for the
 * account up to and including this snapshot, {@code drawdown} the fall from it as a fraction (0.05 = 5%). The
 * account page's equity and drawdown charts.
 *
 * @param source who reported it: API (a client's report) or BUS (the inbound equity stream)
 */
public record EquityPoint(Instant at, double equity, String source, double peak, double drawdown) {
}
