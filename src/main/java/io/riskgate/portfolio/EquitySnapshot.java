package io.riskgate.portfolio;

import java.time.Instant;

/** Account equity as observed at an event time. */
public record EquitySnapshot(String account, double equity, Instant observedAt) {
}
