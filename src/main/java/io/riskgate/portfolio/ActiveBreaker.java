package io.riskgate.portfolio;

import java.time.Instant;

/**
 * A tripped breaker still in force: which rule tripped it, what it measured against which limit, when, and until
 * when (null: until an officer resets it).
 *
 * @param measured the value that crossed the limit (a daily loss of 0.031 = 3.1%); null for an officer's trip
 * @param actor "rules", or the name of the officer who tripped it
 */
public record ActiveBreaker(String code, String rule, TradingState state, Double measured, Double limit,
                            Instant trippedAt, Instant until, String reason, String actor) {
}
