package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.audit.AccountPolicies;
import io.riskgate.audit.PolicyArchive;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetRegistry;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Which policy decides for an account: assigned by an officer (audited), else the default policy. */
@RestController
class AccountPolicyController {

    private final AccountPolicies assignments;
    private final RuleSetRegistry registry;
    private final PolicyArchive archive;

    AccountPolicyController(AccountPolicies assignments, RuleSetRegistry registry, PolicyArchive archive) {
        this.assignments = assignments;
        this.registry = registry;
        this.archive = archive;
    }

    /**
     * The policy an account is decided under: its id, version and sha256, whether it is an officer's assignment, and
     * the assignment (who, when, why) or null when the account has none and is decided by the default policy.
     */
    record AccountPolicy(String account, String policyId, String version, String sha256, boolean assigned,
                         AccountPolicies.Assignment assignment) {
    }

    @Operation(summary = "The policy an account is decided under: its assignment, or the default")
    @GetMapping("/api/v1/accounts/{id}/policy")
    AccountPolicy get(@PathVariable String id) {
        AccountPaths.checked(id);
        io.riskgate.security.AccountAccess.requireReading(id);
        CompiledPolicy p;
        try {
            p = registry.forAccount(id);
        } catch (IllegalStateException notLoaded) {
            throw new io.riskgate.errors.ConflictException(notLoaded.getMessage());
        }
        var a = assignments.assignment(id);
        return new AccountPolicy(id, p.id(), p.version(), p.sha256(), a.isPresent(), a.orElse(null));
    }

    /**
     * {policyId, reason}: assigns a loaded policy to the account, recorded in the activation log as ASSIGNED with
     * the authenticated principal as the actor; a body naming an {@code actor} is refused.
     */
    @Operation(summary = "Assign an account to a loaded policy, with the officer's reason (audited)")
    @PutMapping("/api/v1/accounts/{id}/policy")
    AccountPolicies.Assignment put(@PathVariable String id, @RequestBody(required = false) JsonNode body,
                                   Principal principal) {
        AccountPaths.checked(id);
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = Officer.request(body, Set.of("policyId", "reason"), problems);
        String policyId = f.text("policyId", PolicyLoader.POLICY_ID);
        String reason = Officer.reason(f);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        CompiledPolicy p = registry.policy(policyId).orElseThrow(() -> new NotFoundException("no policy '" + policyId
                + "' is loaded (loaded: " + registry.snapshot().policies().keySet() + ")"));
        String actor = Officer.name(principal);
        return assignments.assign(id, p.id(), actor, reason,
                () -> archive.assigned(id, p.id(), p.sha256(), actor, reason));
    }
}
