package io.riskgate.policy;

/**
 * Position sizing settings (seed 001, "Position Sizing Settings" and the ATR multiples of "Exit Policy Settings";
 * seed 003 for the minimum reward:risk).
 *
 * <p>Risk 1% of 10,000 with ATR 1,500 and a 1.5 ATR stop: risk amount 100, stop distance 2,250,
 * quantity 0.0444 BTC before the position caps.
 */
/*
 * sizer: the policy's default sizing method for strategies without their own (seed 004: "chosen per policy and per
 * strategy"); absent: the ATR risk budget.
 */
public record Sizing(
        double riskPerTradePct,
        double minRiskPct,
        double maxRiskPct,
        boolean signalQualityAdjustment,
        int atrPeriod,
        double stopLossAtrMultiple,
        double takeProfitAtrMultiple,
        double targetRewardRisk,
        double minRewardRisk,
        double maxLeverage,
        double minPositionUsd,
        double maxPositionUsd,
        java.util.Optional<SizerSpec> sizer) {

    /** Sized by the ATR risk budget for every strategy without a sizer of its own. */
    public Sizing(double riskPerTradePct, double minRiskPct, double maxRiskPct, boolean signalQualityAdjustment,
                  int atrPeriod, double stopLossAtrMultiple, double takeProfitAtrMultiple, double targetRewardRisk,
                  double minRewardRisk, double maxLeverage, double minPositionUsd, double maxPositionUsd) {
        this(riskPerTradePct, minRiskPct, maxRiskPct, signalQualityAdjustment, atrPeriod, stopLossAtrMultiple,
                takeProfitAtrMultiple, targetRewardRisk, minRewardRisk, maxLeverage, minPositionUsd, maxPositionUsd,
                java.util.Optional.empty());
    }
}
