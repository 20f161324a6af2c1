package io.riskgate.risk;

import io.riskgate.base.Checks;

/**
 * Value at risk and expected shortfall as fractions of the portfolio's value, positive for a loss: 0.0465 means
 * "4.65% of the value". {@link #inCurrency} turns them into money: 0.0465 of 1,000,000 is 46,500.
 *
 * @param observations returns the figure rests on (0 when computed from given moments)
 * @param valueAtRisk the loss not exceeded with probability {@code spec.confidence()} over {@code spec.horizon()}
 * @param expectedShortfall the mean loss in the tail beyond that level; never below {@code valueAtRisk}
 */
public record VarResult(VarMethod method, VarSpec spec, int observations, double valueAtRisk,
        double expectedShortfall) {

    public VarResult {
        if (method == null || spec == null) {
            throw new IllegalArgumentException("method and spec must not be null");
        }
        Args.atLeast("observations", observations, 0);
        Args.finite("valueAtRisk", valueAtRisk);
        Args.finite("expectedShortfall", expectedShortfall);
    }

    /** The same figures in money for a portfolio worth {@code portfolioValue}. */
    public VarAmount inCurrency(double portfolioValue) {
        Checks.positive("portfolioValue", portfolioValue);
        return new VarAmount(portfolioValue, valueAtRisk * portfolioValue, expectedShortfall * portfolioValue);
    }

    /** VaR and expected shortfall in the portfolio's currency. */
    public record VarAmount(double portfolioValue, double valueAtRisk, double expectedShortfall) {
    }
}
