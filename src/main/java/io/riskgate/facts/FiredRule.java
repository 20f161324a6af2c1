package io.riskgate.facts;

/** A rule that fired during a decision, in firing order, with its metadata. */
public record FiredRule(String name, String code, String category) {
}
