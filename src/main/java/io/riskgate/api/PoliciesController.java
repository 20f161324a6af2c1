package io.riskgate.api;

import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleInfo;
import io.riskgate.rules.RuleSetRegistry;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The policy in force, and hot reload (422 with every problem when the new files are invalid). */
@RestController
@RequestMapping("/api/v1/policies")
class PoliciesController {

    /** A policy as the API shows it: identity, what it was built from, and its rules with their codes. */
    record PolicyView(String id, String version, String sha256, String description, String source,
                      List<String> ruleFiles, Instant compiledAt, long compileMillis, List<RuleInfo> rules,
                      Object settings) {
        static PolicyView of(CompiledPolicy p) {
            return new PolicyView(p.id(), p.version(), p.sha256(), p.policy().description(),
                    p.bundle().source().getFileName().toString(), p.policy().ruleFiles(), p.compiledAt(),
                    p.compileMillis(), p.rules(), p.policy());
        }
    }

    record ReloadView(List<String> compiled, List<String> unchanged, List<String> removed, PolicyView active) {
    }

    private final RuleSetRegistry registry;

    PoliciesController(RuleSetRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/active")
    PolicyView active() {
        return PolicyView.of(registry.active());
    }

    @PostMapping("/reload")
    ReloadView reload() {
        RuleSetRegistry.ReloadResult r = registry.reload();
        return new ReloadView(r.compiled(), r.unchanged(), r.removed(), PolicyView.of(r.active()));
    }
}
