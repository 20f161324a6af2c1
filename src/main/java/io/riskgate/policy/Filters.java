package io.riskgate.policy;

import java.util.Set;

/**
 * Trade-opportunity filter thresholds (seed 001, "Trade Filter Settings").
 *
 * <p>{@code highVolatilityAtrRatio} defines "volatile", which seed 001 leaves open: ATR/price strictly above it
 * raises the confidence bar to {@code highVolatilityMinConfidence}. The default 0.04 keeps seed 001's own example
 * (ATR 1500 / price 50000 = 0.03) in normal volatility, below the 0.05 gate that rejects outright.
 *
 * <p>{@code maxEntryDeviationPct} bounds a caller's own entry price against the market price: sizing and every
 * notional cap are valued at the entry, so an entry far from the market would bypass them.
 */
public record Filters(
        Set<Consensus> acceptedConsensus,
        double minConfidence,
        boolean requireTrend,
        int emaPeriod,
        boolean volatilityGate,
        double maxAtrRatio,
        double highVolatilityAtrRatio,
        double highVolatilityMinConfidence,
        double minVolume24h,
        double maxSpreadBps,
        double maxEntryDeviationPct) {

    public Filters {
        acceptedConsensus = Set.copyOf(acceptedConsensus);
    }
}
