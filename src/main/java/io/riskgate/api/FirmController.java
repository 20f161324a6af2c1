package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.governor.KillSwitches;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The firm's kill switches (docs/controls.md): an officer TRIPs or RESETs the switch of every account
 * ({@code "scope": "ALL"}) or of one strategy on every account ({@code "scope": "STRATEGY:<name>"}), with a reason;
 * officers and auditors read the switches in force and their log.
 */
@RestController
class FirmController {

    /** The list of a scope: ALL, or STRATEGY: and a strategy name as policies spell them. */
    static final String SCOPE = "(?i)ALL|STRATEGY:[a-z0-9_]{1,64}";

    private final KillSwitches switches;
    private final io.riskgate.rules.RuleSetRegistry registry;
    private final io.riskgate.portfolio.Portfolio portfolio;

    FirmController(KillSwitches switches, io.riskgate.rules.RuleSetRegistry registry,
                   io.riskgate.portfolio.Portfolio portfolio) {
        this.switches = switches;
        this.registry = registry;
        this.portfolio = portfolio;
    }

    /**
     * The firm-wide totals over every account (controls.firm): gross exposure (open and reserved notional) and the
     * risk at the stops of the day's approvals, with the limits of the default policy (null: none) and its id.
     */
    record Limits(double grossExposure, double dailyRisk, Double maxGrossExposure, Double maxDailyRisk,
                  String policy) {
    }

    @Operation(summary = "The firm-wide totals over every account against the firm limits")
    @GetMapping("/api/v1/firm/limits")
    Limits limits() {
        var totals = portfolio.firm().totals();
        var active = registry.active().policy();
        var firm = active.controls().firm();
        return new Limits(totals.grossExposure(), totals.dailyRisk(),
                firm.maxGrossExposure().isPresent() ? firm.maxGrossExposure().getAsDouble() : null,
                firm.maxDailyRisk().isPresent() ? firm.maxDailyRisk().getAsDouble() : null, active.id());
    }

    /** The switches in force, then the latest 100 TRIPs and RESETs. */
    record View(List<KillSwitches.Switch> inForce, List<KillSwitches.Event> log) {
    }

    @Operation(summary = "The kill switches in force and the latest trips and resets")
    @GetMapping("/api/v1/firm/kill-switch")
    View view() {
        return new View(switches.inForce(), switches.events(100));
    }

    /** {@code {"action": "TRIP"|"RESET", "scope": "ALL"|"STRATEGY:<name>", "reason": "..."}}; durable before it answers. */
    @Operation(summary = "Trip or reset a kill switch for every account or one strategy, with a reason")
    @PostMapping("/api/v1/firm/kill-switch")
    View act(@RequestBody(required = false) JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = Officer.request(body, Set.of("action", "scope", "reason"), problems);
        String action = f.text("action", "(?i)TRIP|RESET");
        String scope = f.text("scope", SCOPE);
        String reason = Officer.reason(f);
        String normalized = scope == null ? null : scope.toUpperCase(Locale.ROOT).equals("ALL") ? "ALL"
                : KillSwitches.scope(scope.substring("STRATEGY:".length()));
        if (normalized != null && action != null && action.equalsIgnoreCase("TRIP") && !normalized.equals("ALL")) {
            String strategy = normalized.substring("STRATEGY:".length());
            boolean declared = registry.snapshot().policies().values().stream()
                    .anyMatch(p -> p.policy().strategies().containsKey(strategy));
            if (!declared) {
                f.problem("scope", "no loaded policy declares strategy '" + strategy + "': a switch on it would "
                        + "halt nothing (check the spelling)");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        String actor = Officer.name(principal);
        if (action.equalsIgnoreCase("TRIP")) {
            switches.trip(normalized, actor, reason);
        } else if (!switches.reset(normalized, actor, reason)) {
            throw new io.riskgate.errors.ConflictException("no kill switch " + normalized + " is in force");
        }
        return view();
    }
}
