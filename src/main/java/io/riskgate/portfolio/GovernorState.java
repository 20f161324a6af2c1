package io.riskgate.portfolio;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the governor knows of one account, kept in memory with the account's book and stored as JSON after every
 * change, so a tripped breaker is still tripped after a restart.
 *
 * @param realizedSinceSnapshot P&L closes realized since the latest equity snapshot, over each trade's reference
 *        price (see {@link io.riskgate.portfolio.AccountBook#markedEquity()})
 * @param peakEquity the highest equity seen; drawdown is measured from it
 * @param dayStart start of the current day window; {@code dayOpenEquity} the equity the day started with
 * @param weekStart start of the current week window; {@code weekOpenEquity} the equity the week started with
 * @param lastEquity equity after the last event; {@code lastEventAt} that event's time
 * @param recovery in recovery mode (seed 001): entered at the policy's drawdown, left on a new peak
 * @param weeklyTargetReached the week's gain reached the weekly target (seed 002); cleared when the week resets
 * @param disarmed breakers that tripped and have not yet seen their condition clear: a breaker trips on crossing
 *        its limit, not on every update while beyond it
 * @param positionLossClosed trades already given a CLOSE for the position loss limit
 * @param stopTightening seed 004's stop tightening at the current drawdown (1 = none)
 */
public record GovernorState(
        TradingState state,
        double realizedSinceSnapshot,
        Double peakEquity,
        Instant dayStart,
        Double dayOpenEquity,
        Instant weekStart,
        Double weekOpenEquity,
        Double lastEquity,
        Instant lastEventAt,
        boolean recovery,
        boolean weeklyTargetReached,
        Set<String> disarmed,
        Set<String> positionLossClosed,
        List<ActiveBreaker> breakers,
        List<Multiplier> multipliers,
        double stopTightening) {

    public GovernorState {
        state = state == null ? TradingState.ACTIVE : state;
        disarmed = disarmed == null ? Set.of() : Set.copyOf(disarmed);
        positionLossClosed = positionLossClosed == null ? Set.of() : Set.copyOf(positionLossClosed);
        breakers = breakers == null ? List.of() : List.copyOf(breakers);
        multipliers = multipliers == null ? List.of() : List.copyOf(multipliers);
        stopTightening = stopTightening >= 1 ? stopTightening : 1;
    }

    /** A new account: active, nothing measured yet. */
    public static GovernorState initial() {
        return new GovernorState(TradingState.ACTIVE, 0, null, null, null, null, null, null, null, false, false,
                Set.of(), Set.of(), List.of(), List.of(), 1);
    }

    /** The same state with {@code realized} added to the P&L realized since the snapshot. */
    public GovernorState withRealized(double realized) {
        return new GovernorState(state, realizedSinceSnapshot + realized, peakEquity, dayStart, dayOpenEquity,
                weekStart, weekOpenEquity, lastEquity, lastEventAt, recovery, weeklyTargetReached, disarmed,
                positionLossClosed, breakers, multipliers, stopTightening);
    }

    /** The same state after a new equity snapshot: nothing realized since it yet. */
    public GovernorState withSnapshotTaken() {
        return new GovernorState(state, 0, peakEquity, dayStart, dayOpenEquity, weekStart, weekOpenEquity,
                lastEquity, lastEventAt, recovery, weeklyTargetReached, disarmed, positionLossClosed, breakers,
                multipliers, stopTightening);
    }
}
