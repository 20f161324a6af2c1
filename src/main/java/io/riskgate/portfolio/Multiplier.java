package io.riskgate.portfolio;

/**
 * A risk multiplier the governor's rules hold for an account now (losing streak, recovery mode, weekly target,
 * drawdown table, win rate). Every pre-trade check applies it and lists it in its adjustments.
 *
 * @param group "dynamic" for seed 004's factors, combined by the policy's {@code dynamic_combine}; null for the
 *        others, which multiply
 */
public record Multiplier(String code, String rule, double factor, String group, String reason) {
}
