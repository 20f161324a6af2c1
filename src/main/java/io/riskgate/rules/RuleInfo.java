package io.riskgate.rules;

/** A compiled rule as the catalog lists it: its name, stable code, category and the file it came from. */
public record RuleInfo(String name, String code, String category, String file) {
}
