package io.riskgate.decision;

import io.riskgate.rules.CompiledPolicy;

/** Exactly which policy decided: id, version and the sha256 of its YAML and rule files. */
public record PolicyRef(String id, String version, String sha256) {

    public static PolicyRef of(CompiledPolicy policy) {
        return new PolicyRef(policy.id(), policy.version(), policy.sha256());
    }
}
