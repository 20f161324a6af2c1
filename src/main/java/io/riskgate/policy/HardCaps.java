package io.riskgate.policy;

/**
 * Limits no policy may exceed, whatever an officer writes. They are deliberately not policy values
 * (seed 002: "hard-coded maximum limits"); a policy over them is refused at load, and the sizer clamps to them
 * again at run time so a decision table multiplier cannot push past them either.
 */
public final class HardCaps {

    /** Seed 003, best practices: "Never exceed 5% risk per trade". */
    public static final double MAX_RISK_PER_TRADE = 0.05;

    /**
     * Rule codes every policy must contain: the pre-trade gates and portfolio limits of the foundation contract.
     * A policy that leaves out {@code gates.drl} would otherwise load and approve anything, one without
     * {@code exits.drl} would never stop a trade out. An officer switches a
     * gate off with its policy key (e.g. {@code require_trend: false}), never by dropping its rule.
     */
    public static final java.util.Set<String> REQUIRED_RULE_CODES = java.util.Set.of(
            "CONSENSUS_NOT_ACCEPTED", "LOW_CONFIDENCE", "LOW_CONFIDENCE_HIGH_VOLATILITY", "TREND_MISALIGNED",
            "VOLATILITY_TOO_HIGH", "LOW_VOLUME", "SPREAD_TOO_WIDE", "ENTRY_FAR_FROM_MARKET", "UNKNOWN_STRATEGY",
            "MAX_CONCURRENT_TRADES", "MAX_EXPOSURE", "ASSET_CONCENTRATION", "STRATEGY_MAX_POSITION",
            "BELOW_MIN_POSITION", "INVALID_LEVELS", "MIN_REWARD_RISK",
            // without them an open trade's stop and target would never be watched (exits.drl)
            "STOP_LOSS_HIT", "TAKE_PROFIT_HIT",
            // without them a tripped breaker would not stop new entries, nor a loss trip one (governor.drl)
            "ACCOUNT_NOT_ACTIVE", "DAILY_LOSS_LIMIT", "WEEKLY_LOSS_LIMIT", "CIRCUIT_BREAKER", "MAX_DRAWDOWN",
            "POSITION_LOSS_LIMIT", "VOLATILITY_SPIKE", "CORRELATION_SPIKE",
            // the analytics limits (analytics.drl)
            "CORRELATION_TOO_HIGH", "PORTFOLIO_HEAT", "VAR_LIMIT", "INSUFFICIENT_MARKET_DATA");

    private HardCaps() {
    }
}
