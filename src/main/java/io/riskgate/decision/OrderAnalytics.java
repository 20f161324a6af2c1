package io.riskgate.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What the analytics measured for a decision, so an audit shows the numbers the analytics rules judged.
 *
 * @param computed market values the engine computed from stored bars because the check omitted them
 *        ({@code atr}, {@code ema200})
 * @param maxCorrelation the highest direction-adjusted correlation with an open position of another asset
 * @param correlationUnmeasured open positions whose correlation could not be measured, with why
 * @param portfolioHeatPct risk to every stop with this order, over equity
 * @param varPct portfolio VaR with this order, over equity; null when not measured ({@code varNote} says why)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderAnalytics(Map<String, Double> computed, Double maxCorrelation, String correlatedWith,
                             List<String> correlationUnmeasured, Double portfolioHeatPct, Double varPct,
                             String varMethod, Integer varObservations, String varNote) {
}
