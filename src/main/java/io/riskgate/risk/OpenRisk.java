package io.riskgate.risk;

import io.riskgate.base.Checks;

/**
 * An open position as far as portfolio heat is concerned: what is lost if the stop is hit.
 *
 * <p>0.01 BTC entered at 50,000 with its stop at 47,750 risks |50,000 - 47,750| x 0.01 = 22.5.
 *
 * @param quantity units held, > 0 whether long or short
 */
public record OpenRisk(String symbol, double entry, double stop, double quantity) {

    public OpenRisk {
        Checks.notBlank("symbol", symbol);
        Checks.positive("entry of " + symbol, entry);
        Checks.positive("stop of " + symbol, stop);
        Checks.positive("quantity of " + symbol, quantity);
    }

    /** |entry - stop| x quantity, in the account currency. */
    public double riskToStop() {
        return Math.abs(entry - stop) * quantity;
    }
}
