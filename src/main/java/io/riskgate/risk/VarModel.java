package io.riskgate.risk;

/**
 * One way of estimating value at risk from a return series: {@link HistoricalVar} or {@link ParametricVar}.
 * Below {@link #MIN_OBSERVATIONS} returns the answer is {@link Estimate.InsufficientData}.
 */
public interface VarModel {

    /** Seed 003: "VaR calculation ... need at least 20 price points"; counted here as returns. */
    int MIN_OBSERVATIONS = 20;

    Estimate<VarResult> estimate(Returns returns, VarSpec spec);
}
