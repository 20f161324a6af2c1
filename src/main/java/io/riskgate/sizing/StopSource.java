package io.riskgate.sizing;

/** Where the stop distance came from. */
public enum StopSource {
    /** k x ATR (seed 001). */
    ATR,
    /** The strategy's stop-loss percentage replaces the ATR stop (seed 002 / seed 004). */
    STRATEGY_PCT,
    /** The caller sent its own stopLoss. */
    CALLER
}
