package io.riskgate.portfolio;

/**
 * Where a trade is in its life (seed 001's trade state machine). A trade row is created OPEN by a fill against an
 * APPROVED decision; the exit rules move it to BREAKEVEN (+1R, stop to entry), PARTIAL_TP (+2R, part closed) and
 * TRAILING (a trail has begun), each only forward. It ends in one of the CLOSED_ states: CLOSED_SL, CLOSED_TP and
 * CLOSED_TIME when the engine's exit instruction was carried out, CLOSED_MANUAL when the caller closed it on its
 * own, CLOSED_BREAKER when a circuit breaker's emergency instruction closed it.
 */
public enum TradeState {
    APPROVED, OPEN, BREAKEVEN, PARTIAL_TP, TRAILING,
    CLOSED_TP, CLOSED_SL, CLOSED_TIME, CLOSED_MANUAL, CLOSED_BREAKER;

    public boolean isClosed() {
        return name().startsWith("CLOSED_");
    }

    /** The states a live position can be in (OPEN and the exit stages). */
    public boolean isLive() {
        return this != APPROVED && !isClosed();
    }
}
