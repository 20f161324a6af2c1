package io.riskgate.risk;

/** How a VaR figure was computed. */
public enum VarMethod {
    /** Empirical quantile of past returns ({@link HistoricalVar}). */
    HISTORICAL,
    /** Normal distribution fitted to the mean and standard deviation of past returns ({@link ParametricVar}). */
    PARAMETRIC_NORMAL
}
