package io.riskgate.order;

import io.riskgate.base.Checks;
import io.riskgate.policy.SizerSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * Market conditions at the time of the signal (seed 001's MarketConditions). The timestamp is the event time
 * every time-dependent decision uses; when absent the engine's clock supplies it. {@code atr} and {@code ema200}
 * are NaN when the caller omits them: the engine then computes them from stored bars before any rule runs.
 *
 * @param regime the market regime as the caller classifies it (seed 003's {@code market_regime}, e.g.
 *        {@code bullish}), a {@link SizerSpec#REGIME_NAME}: read by a {@code regime_based} sizer only
 */
public record Market(double price, double atr, double ema200, double volume24h, double spreadBps,
                     Optional<Instant> timestamp, Optional<String> regime) {

    public Market {
        Checks.positive("market.price", price);
        if (!Double.isNaN(atr)) {
            Checks.positive("market.atr", atr);
        }
        if (!Double.isNaN(ema200)) {
            Checks.positive("market.ema200", ema200);
        }
        Checks.nonNegative("market.volume24h", volume24h);
        Checks.nonNegative("market.spreadBps", spreadBps);
        if (regime == null) {
            throw new IllegalArgumentException("market.regime must not be null; use an empty Optional");
        }
        regime.ifPresent(r -> Checks.matches("market.regime", r, SizerSpec.REGIME_NAME));
    }

    /** A market with no regime named. */
    public Market(double price, double atr, double ema200, double volume24h, double spreadBps,
                  Optional<Instant> timestamp) {
        this(price, atr, ema200, volume24h, spreadBps, timestamp, Optional.empty());
    }

    /** True when the caller gave the ATR. */
    public boolean atrGiven() {
        return !Double.isNaN(atr);
    }

    /** True when the caller gave the EMA 200. */
    public boolean ema200Given() {
        return !Double.isNaN(ema200);
    }

    /** The same market with the ATR and EMA the engine computed. */
    public Market withIndicators(double atr, double ema200) {
        return new Market(price, atr, ema200, volume24h, spreadBps, timestamp, regime);
    }
}
