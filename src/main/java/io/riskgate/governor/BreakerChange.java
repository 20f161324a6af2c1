package io.riskgate.governor;

import io.riskgate.portfolio.TradingState;
import java.time.Instant;

/**
 * A breaker tripped or cleared, as the breaker log keeps it: by the rules (actor "rules"), by its window or
 * cooldown ending ("clock"), or by an officer (actor: the officer's authenticated name, "anonymous" without one;
 * rule "officer").
 *
 * @param action TRIP or CLEAR
 */
public record BreakerChange(String account, String action, String code, String rule, TradingState state,
                            Double measured, Double limit, Instant at, Instant until, String reason, String actor) {
}
