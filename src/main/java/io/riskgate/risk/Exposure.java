package io.riskgate.risk;

import io.riskgate.base.Checks;

/**
 * One position's market value in the account currency: positive long, negative short.
 *
 * <p>0.2 BTC long at 50,000 is {@code new Exposure("BTC", 10_000)}; short 3 ETH at 2,000 is -6,000.
 */
public record Exposure(String symbol, double notional) {

    public Exposure {
        Checks.notBlank("symbol", symbol);
        Args.finite("notional of " + symbol, notional);
        if (notional == 0) {
            throw new IllegalArgumentException("notional of " + symbol + " must not be 0");
        }
    }
}
