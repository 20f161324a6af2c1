package io.riskgate.policy;

import java.util.OptionalDouble;

/**
 * Per-strategy settings held in the policy YAML (seed 002's stop-loss column, seed 004's stop/take-profit
 * overrides). The strategy's position and leverage limits and its percentage trailing stop are rows of decision
 * tables (rules/strategy-limits.drl.xlsx, rules/trailing-stops.drl.xlsx), so an officer edits them as a spreadsheet.
 *
 * @param stopLossPct when present, replaces the ATR stop: a 1% stop on 50,000 sits 500 away
 * @param takeProfitPct when present, replaces the reward:risk target
 */
public record StrategyProfile(
        String name,
        OptionalDouble stopLossPct,
        OptionalDouble takeProfitPct) {
}
