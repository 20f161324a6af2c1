package io.riskgate.policy;

import java.util.OptionalDouble;

/**
 * Per-strategy settings held in the policy YAML (seed 002's stop-loss column, seed 004's stop/take-profit
 * overrides). The strategy's position and leverage limits and its percentage trailing stop are rows of decision
 * tables (rules/strategy-limits.drl.xlsx, rules/trailing-stops.drl.xlsx), so an officer edits them as a spreadsheet.
 *
 * @param stopLossPct when present, replaces the ATR stop: a 1% stop on 50,000 sits 500 away
 * @param takeProfitPct when present, replaces the reward:risk target
 * @param sizer when present, the strategy's own sizing method instead of the ATR risk budget (seed 004)
 */
public record StrategyProfile(
        String name,
        OptionalDouble stopLossPct,
        OptionalDouble takeProfitPct,
        java.util.Optional<SizerSpec> sizer) {

    /** A strategy sized by the policy's ATR risk budget. */
    public StrategyProfile(String name, OptionalDouble stopLossPct, OptionalDouble takeProfitPct) {
        this(name, stopLossPct, takeProfitPct, java.util.Optional.empty());
    }
}
