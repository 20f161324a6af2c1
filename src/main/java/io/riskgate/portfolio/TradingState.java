package io.riskgate.portfolio;

/**
 * An account's trading state. ACTIVE: trading as usual. REDUCING: no new risk; exits and reductions still allowed.
 * HALTED: nothing new; the breaker's emergency instructions are issued. Listed from least to most severe: when
 * several breakers are active, the most severe state wins.
 */
public enum TradingState {
    ACTIVE, REDUCING, HALTED;

    public TradingState worst(TradingState other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
