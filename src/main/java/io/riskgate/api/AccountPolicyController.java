package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.audit.AccountPolicies;
import io.riskgate.audit.PolicyArchive;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetRegistry;
import java.util.List;
import java.util.Map;
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

    @GetMapping("/api/v1/accounts/{id}/policy")
    Map<String, Object> get(@PathVariable String id) {
        account(id);
        io.riskgate.security.AccountAccess.requireReading(id);
        CompiledPolicy p;
        try {
            p = registry.forAccount(id);
        } catch (IllegalStateException notLoaded) {
            throw new io.riskgate.errors.ConflictException(notLoaded.getMessage());
        }
        var a = assignments.assignment(id);
        return Map.of("account", id, "policyId", p.id(), "version", p.version(), "sha256", p.sha256(),
                "assigned", a.isPresent(), "assignment", a.map(Object.class::cast).orElse(Map.of()));
    }

    /** {policyId, actor, reason}: the policy must be loaded; recorded in the activation log as ASSIGNED. */
    @PutMapping("/api/v1/accounts/{id}/policy")
    AccountPolicies.Assignment put(@PathVariable String id, @RequestBody JsonNode body) {
        account(id);
        String policyId = body == null ? "" : body.path("policyId").asText("");
        String[] who;
        try {
            who = PoliciesController.actorAndReason(body, true);
        } catch (InvalidRequestException e) {
            // every problem at once: a missing policyId joins the actor/reason problems
            if (policyId.isEmpty()) {
                List<io.riskgate.order.FieldProblem> all = new java.util.ArrayList<>(e.problems());
                all.add(new io.riskgate.order.FieldProblem("policyId", "is required"));
                throw new InvalidRequestException(all);
            }
            throw e;
        }
        CompiledPolicy p = registry.policy(policyId).orElseThrow(() -> policyId.isEmpty()
                ? InvalidRequestException.of("policyId", "is required")
                : new NotFoundException("no policy '" + policyId + "' is loaded (loaded: "
                        + registry.snapshot().policies().keySet() + ")"));
        AccountPolicies.Assignment a = assignments.assign(id, p.id(), who[0], who[1]);
        archive.assigned(id, p.id(), p.sha256(), who[0], who[1]);
        return a;
    }

    private static void account(String id) {
        if (!id.matches(CheckRequestParser.ID_PATTERN)) {
            throw InvalidRequestException.of("id", "must match " + CheckRequestParser.ID_PATTERN);
        }
    }
}
