package io.riskgate.order;

import java.time.Instant;
import java.util.Optional;

/**
 * Market conditions at the time of the signal (seed 001's MarketConditions). The timestamp is the event time
 * every time-dependent decision uses; when absent the engine's clock supplies it.
 */
public record Market(double price, double atr, double ema200, double volume24h, double spreadBps,
                     Optional<Instant> timestamp) {

    public Market {
        Checks.positive("market.price", price);
        Checks.positive("market.atr", atr);
        Checks.positive("market.ema200", ema200);
        Checks.nonNegative("market.volume24h", volume24h);
        Checks.nonNegative("market.spreadBps", spreadBps);
    }
}
