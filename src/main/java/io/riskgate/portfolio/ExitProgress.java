package io.riskgate.portfolio;

import java.time.Instant;

/**
 * What the exit rules know of one open trade: its own best and worst price since entry (the trailing stop's
 * high-water mark belongs to this trade alone), the stages already passed, and a full close the engine asked for
 * but the caller has not reported yet.
 *
 * @param bestPrice the most favourable price since entry (highest for a long, lowest for a short), from bar highs
 *        and lows when marks carry them
 * @param worstPrice the least favourable price since entry
 * @param lastMarkAt event time of the last mark applied; older marks are ignored for this trade
 * @param pendingExit the closed state an issued CLOSE instruction leads to (CLOSED_SL, CLOSED_TP, CLOSED_TIME),
 *        null when none is outstanding
 */
public record ExitProgress(double bestPrice, double worstPrice, Instant lastMarkAt, boolean breakeven,
                           boolean partial, boolean trailing, TradeState pendingExit) {

    /** A trade just filled at {@code entry}: best and worst are the entry, no stage passed. */
    public static ExitProgress atEntry(double entry) {
        return new ExitProgress(entry, entry, null, false, false, false, null);
    }

    /** Whether {@code other} differs from this in nothing but when it was last marked. */
    public boolean sameStagesAs(ExitProgress other) {
        return equals(new ExitProgress(other.bestPrice, other.worstPrice, lastMarkAt, other.breakeven, other.partial,
                other.trailing, other.pendingExit));
    }
}
