package io.riskgate.rules;

/** A multiplier a rule applied to the risk per trade, with the rule's code and its reason. */
public record Adjustment(String rule, String code, double factor, String reason) {
}
