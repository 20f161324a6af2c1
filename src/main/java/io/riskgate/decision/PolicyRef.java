package io.riskgate.decision;

/** Exactly which policy decided: id, version and the sha256 of its YAML and rule files. */
public record PolicyRef(String id, String version, String sha256) {
}
