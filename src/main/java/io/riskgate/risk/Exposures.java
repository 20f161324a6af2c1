package io.riskgate.risk;

import io.riskgate.base.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The open positions of a portfolio worth {@code portfolioValue} (equity), one per symbol. A position's weight is
 * its notional over that value: 10,000 of BTC in a 40,000 portfolio weighs 0.25; shorts weigh less than 0.
 */
public record Exposures(double portfolioValue, List<Exposure> positions) {

    public Exposures {
        Checks.positive("portfolioValue", portfolioValue);
        if (positions == null || positions.isEmpty()) {
            throw new IllegalArgumentException("positions must hold at least one exposure");
        }
        positions = List.copyOf(positions);
        Set<String> seen = new HashSet<>();
        for (Exposure e : positions) {
            if (!seen.add(e.symbol())) {
                throw new IllegalArgumentException("positions must hold one exposure per symbol, " + e.symbol()
                        + " is there twice");
            }
        }
    }

    public List<String> symbols() {
        return positions.stream().map(Exposure::symbol).toList();
    }

    /** Notional / portfolio value of each position, in the order of {@link #positions()}. */
    public double[] weights() {
        double[] w = new double[positions.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = positions.get(i).notional() / portfolioValue;
        }
        return w;
    }

    /** The portfolio's return in each period: the sum of weight x return over the positions. */
    Returns portfolioReturns(AlignedReturns returns) {
        returns.requireSymbols(symbols());
        double[] w = weights();
        double[] p = new double[returns.observations()];
        for (int i = 0; i < w.length; i++) {
            double[] r = returns.returns(positions.get(i).symbol()).view();
            for (int t = 0; t < p.length; t++) {
                p[t] += w[i] * r[t];
            }
        }
        return Returns.wrap(p);
    }
}
