package io.riskgate.portfolio;

import java.time.Instant;

/**
 * What an approved, not yet filled decision holds: its notional against the exposure, asset and strategy limits,
 * and one trade slot, until it is filled or {@code expiresAt} (event time) passes.
 */
public record Reservation(String decisionId, String account, String symbol, String asset, String strategy,
                          double notional, Instant expiresAt) {
}
