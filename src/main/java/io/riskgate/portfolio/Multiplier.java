package io.riskgate.portfolio;

/**
 * A risk multiplier the governor's rules hold for an account now (losing streak, recovery mode, weekly target,
 * drawdown table, win rate). Every pre-trade check applies it and lists it in its adjustments.
 *
 * @param group the adjustment group its rule gave it ({@code io.riskgate.facts.Adjustment}): "governor" for the
 *        protective factors (losing streak, recovery, weekly target), which multiply; "dynamic" for seed 004's
 *        factors (drawdown table, win rate), combined by the policy's {@code dynamic_combine}
 */
public record Multiplier(String code, String rule, double factor, String group, String reason) {
}
