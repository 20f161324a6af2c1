package io.riskgate.rules;

import io.riskgate.policy.Policy;
import io.riskgate.policy.PolicyBundle;
import java.time.Instant;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * A policy with its rule base compiled: built once per policy version (content sha256), shared by every
 * request, thread-safe. Sessions are made per decision from {@link #kieBase()}.
 */
public record CompiledPolicy(PolicyBundle bundle, KieBase kieBase, KieContainer container, ReleaseId releaseId,
                             List<RuleInfo> rules, Instant compiledAt, long compileMillis) {

    public CompiledPolicy {
        rules = List.copyOf(rules);
    }

    public Policy policy() {
        return bundle.policy();
    }

    public String id() {
        return bundle.id();
    }

    public String version() {
        return bundle.version();
    }

    public String sha256() {
        return bundle.sha256();
    }
}
