package io.riskgate.risk;

import io.riskgate.base.Checks;
import java.util.List;

/**
 * Portfolio heat (seed 003): what the open positions lose together if every stop is hit, over equity.
 *
 * <pre>
 * heat = sum over open positions of |entry - stop| x quantity / equity
 * </pre>
 *
 * Seed 001's sized order (0.01 BTC, entry 50,000, stop 47,750) plus seed 003's signal (0.1 BTC, entry 50,000,
 * stop 49,000) on 10,000 of equity: (22.5 + 100) / 10,000 = 1.225% heat. A stop already beyond the entry on the
 * profitable side still counts its distance, which overstates the risk rather than hiding it.
 *
 * @param riskAmount the sum of the positions' risk to stop, in the account currency
 * @param heat riskAmount / equity
 */
public record PortfolioHeat(double riskAmount, double equity, double heat) {

    public static PortfolioHeat of(List<OpenRisk> positions, double equity) {
        Checks.positive("equity", equity);
        if (positions == null) {
            throw new IllegalArgumentException("positions must not be null");
        }
        double risk = 0;
        for (OpenRisk p : positions) {
            risk += p.riskToStop();
        }
        return new PortfolioHeat(risk, equity, risk / equity);
    }
}
