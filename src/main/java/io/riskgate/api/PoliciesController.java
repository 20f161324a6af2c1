package io.riskgate.api;

import io.riskgate.audit.PolicyArchive;
import io.riskgate.errors.NotFoundException;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleInfo;
import io.riskgate.rules.RuleSetRegistry;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The policy in force, hot reload (422 with every problem when the new files are invalid), the archive of every
 * version that was in force, and the reload log.
 */
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
    private final PolicyArchive archive;

    PoliciesController(RuleSetRegistry registry, PolicyArchive archive) {
        this.registry = registry;
        this.archive = archive;
    }

    /** The exact YAML and rule files of any policy version that was ever in force, by the sha256 decisions carry. */
    @GetMapping("/archive/{sha256}")
    PolicyArchive.ArchivedPolicy archived(@PathVariable String sha256) {
        return archive.find(sha256).orElseThrow(() -> new NotFoundException("no archived policy with sha256 "
                + sha256));
    }

    /** The latest reloads, activated or refused (with their problems), newest first. */
    @GetMapping("/activations")
    List<PolicyArchive.Activation> activations(@RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be in [1, 500], was " + limit);
        }
        return archive.activations(limit);
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
