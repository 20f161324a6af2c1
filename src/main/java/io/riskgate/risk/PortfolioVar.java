package io.riskgate.risk;

/**
 * VaR of a set of positions: the chosen {@link VarModel} applied to the portfolio's own return series,
 * r_p,t = sum of w_i x r_i,t with w_i = notional_i / portfolio value. For the normal model this is the
 * variance-covariance formula sigma_p^2 = w' Sigma w with the sample covariances; for the historical model each
 * past period is a joint scenario for all positions. The undiversified figure adds up each position's own VaR.
 *
 * <p>Hull's two-stock example ("Options, Futures, and Other Derivatives"): $10 million at 2% daily sigma and
 * $5 million at 1%, correlation 0.3: 10-day 99% VaRs 1,473,621 and 368,405 alone, 1,622,657 together, so
 * diversification saves 219,369 (with Hull's z = 2.33).
 */
public final class PortfolioVar {

    private final VarModel model;

    public PortfolioVar(VarModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        this.model = model;
    }

    /**
     * The portfolio's VaR as a fraction of {@code exposures.portfolioValue()}; insufficient data while the series
     * hold fewer than {@link VarModel#MIN_OBSERVATIONS} returns. Every exposure needs a series in {@code returns}.
     */
    public Estimate<PortfolioVarResult> estimate(Exposures exposures, AlignedReturns returns, VarSpec spec) {
        return model.estimate(exposures.portfolioReturns(returns), spec).map(diversified -> new PortfolioVarResult(
                diversified, undiversified(exposures, returns, spec), exposures.portfolioValue()));
    }

    private double undiversified(Exposures exposures, AlignedReturns returns, VarSpec spec) {
        double[] w = exposures.weights();
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            Returns alone = returns.returns(exposures.positions().get(i).symbol()).times(w[i]);
            sum += model.estimate(alone, spec).orElseThrow().valueAtRisk();
        }
        return sum;
    }

    /**
     * @param diversified the portfolio's VaR and ES, fractions of {@code portfolioValue}
     * @param undiversifiedVar the sum of the positions' own VaRs, same unit
     */
    public record PortfolioVarResult(VarResult diversified, double undiversifiedVar, double portfolioValue) {

        /** How much lower the VaR is for holding the positions together: undiversified - diversified. */
        public double diversificationBenefit() {
            return undiversifiedVar - diversified.valueAtRisk();
        }

        /** The portfolio's VaR and ES in money. */
        public VarResult.VarAmount inCurrency() {
            return diversified.inCurrency(portfolioValue);
        }
    }
}
