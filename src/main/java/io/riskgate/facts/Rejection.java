package io.riskgate.facts;

/** Why an order was refused: the stable code clients and audits key on, the rule that said so, and its words. */
public record Rejection(String code, String rule, String message) {
}
