package io.riskgate.market;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An account's portfolio risk as {@code GET /api/v1/accounts/{id}/risk} shows it, each figure with the data window
 * it used. Fractions are of equity unless named otherwise; a figure that cannot be computed is null with a note.
 *
 * @param var the one-horizon VaR and expected shortfall by method (HISTORICAL, PARAMETRIC_NORMAL), fractions of equity
 * @param heatPct every open position's risk to its stop over equity
 * @param correlation pairwise correlations of the open symbols' returns
 * @param effectivePositions 1 / Herfindahl index of gross exposure
 * @param diversificationRatio weighted average volatility over portfolio volatility
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountRisk(String account, Double equity, Instant asOf, String barInterval, int observations,
                          Map<String, VarFigure> var, Double heatPct, List<String> symbols,
                          Map<String, Map<String, Double>> correlation, Double herfindahl, Double effectivePositions,
                          String largestSymbol, Double largestShareOfGross, Double diversificationRatio,
                          List<String> notes) {

    /** VaR and expected shortfall at the policy's confidence and horizon, as fractions of equity and in money. */
    public record VarFigure(double confidence, int horizonBars, double valueAtRisk, double expectedShortfall,
                            double valueAtRiskAmount, double expectedShortfallAmount) {
    }
}
