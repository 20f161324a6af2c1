package io.riskgate.policy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A policy and the exact bytes it was built from: its YAML and every rule file it uses. The sha256 covers all of
 * them, so an audited decision names precisely what decided it.
 *
 * @param source the policy file
 * @param ruleFiles rule file name (relative to the rules directory) to content, in name order
 */
public record PolicyBundle(Policy policy, Path source, byte[] policyBytes, Map<String, byte[]> ruleFiles,
                           String sha256) {

    public PolicyBundle {
        ruleFiles = Collections.unmodifiableMap(new TreeMap<>(ruleFiles));
    }

    public String id() {
        return policy.id();
    }

    public String version() {
        return policy.version();
    }
}
