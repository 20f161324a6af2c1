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
    private final io.riskgate.audit.AuditStore audit;
    private final io.riskgate.market.MarketData market;
    private final java.time.Clock clock;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final java.nio.file.Path rulesDir;

    PoliciesController(RuleSetRegistry registry, PolicyArchive archive, io.riskgate.audit.AuditStore audit,
                       io.riskgate.market.MarketData market, java.time.Clock clock,
                       com.fasterxml.jackson.databind.ObjectMapper json, io.riskgate.config.RiskgateProperties props) {
        this.registry = registry;
        this.archive = archive;
        this.audit = audit;
        this.market = market;
        this.clock = clock;
        this.json = json;
        this.rulesDir = props.rulesDir().toAbsolutePath().normalize();
    }

    /**
     * What-if: the last {@code last} audited decisions (or those in [from, to], optionally of one account) decided
     * again under a candidate policy, without touching live state; which would change, and the rules that caused
     * it. The candidate is a {@code directory} of policies (compiled with its sibling rules directory, else the
     * live rules) or inline {@code yaml}; {@code policyId} picks it (default: "default").
     */
    @PostMapping("/what-if")
    io.riskgate.scenario.WhatIf.Report whatIf(@org.springframework.web.bind.annotation.RequestBody
                                              com.fasterxml.jackson.databind.JsonNode body) {
        List<io.riskgate.order.FieldProblem> problems = new java.util.ArrayList<>();
        io.riskgate.order.JsonFields f = io.riskgate.order.JsonFields.root(body, problems);
        f.rejectUnknown(java.util.Set.of("directory", "yaml", "policyId", "last", "from", "to", "account"));
        var directory = f.optionalText("directory", null).map(java.nio.file.Path::of);
        // the YAML exactly as sent (not trimmed): its sha256 is then the file's
        var yaml = f.optionalText("yaml", null).map(x -> body.path("yaml").asText());
        String policyId = f.optionalText("policyId", "[A-Za-z0-9_.-]{1,64}").orElse("default");
        int last = (int) f.optionalNumber("last", 0, true).orElse(100);
        var from = f.optionalInstant("from");
        var to = f.optionalInstant("to");
        var account = f.optionalText("account", io.riskgate.order.CheckRequestParser.ID_PATTERN);
        if (directory.isPresent() == yaml.isPresent()) {
            f.problem("directory", "give the candidate as a directory or as inline yaml (one of the two)");
        }
        if (last > io.riskgate.audit.AuditQuery.MAX_SIZE) {
            f.problem("last", "must be at most " + io.riskgate.audit.AuditQuery.MAX_SIZE + ", was " + last);
        }
        if (!problems.isEmpty()) {
            throw new io.riskgate.order.InvalidRequestException(problems);
        }
        CompiledPolicy candidate = io.riskgate.scenario.Candidate.compile(directory.orElse(null), yaml.orElse(null),
                policyId, directory.map(d -> io.riskgate.scenario.Candidate.rulesBeside(d, rulesDir)).orElse(rulesDir));
        try {
            var decisions = audit.search(new io.riskgate.audit.AuditQuery(account, java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty(), from, to, 0, Math.max(1, last))).items();
            return io.riskgate.scenario.WhatIf.run(candidate, decisions, io.riskgate.check.PreTradeEngine.forPreview(
                    new io.riskgate.market.PortfolioRisk(market), clock, json));
        } finally {
            io.riskgate.rules.RuleSetCompiler.release(candidate.container(), candidate.releaseId());
        }
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

    /**
     * Reloads every policy from the files; {@code actor} and {@code reason} (optional body) are kept with the
     * activation. 422 listing every problem when the new files are invalid: nothing changes then.
     */
    @PostMapping("/reload")
    ReloadView reload(@org.springframework.web.bind.annotation.RequestBody(required = false)
                      com.fasterxml.jackson.databind.JsonNode body) {
        String[] who = actorAndReason(body, false);
        RuleSetRegistry.ReloadResult r = registry.reload(who[0], who[1]);
        return new ReloadView(r.compiled(), r.unchanged(), r.removed(), PolicyView.of(r.active()));
    }

    /** Every version of a policy ever loaded, newest first, with who put it in force, when and why. */
    @GetMapping("/{id}/versions")
    List<PolicyArchive.PolicyVersion> versions(@PathVariable String id) {
        List<PolicyArchive.PolicyVersion> v = archive.versions(id);
        if (v.isEmpty()) {
            throw new NotFoundException("no policy '" + id + "' was ever loaded");
        }
        return v;
    }

    /** One version's exact YAML and rule files, by version string or sha256. */
    @GetMapping("/{id}/versions/{version}")
    PolicyArchive.ArchivedPolicy version(@PathVariable String id, @PathVariable String version) {
        return archive.version(id, version).orElseThrow(() -> new NotFoundException("policy '" + id
                + "' has no version or sha256 '" + version + "'"));
    }

    /** What changed from one version to another: YAML keys, and each rule file's DRL as a unified diff. */
    @GetMapping("/{id}/diff")
    io.riskgate.audit.PolicyDiff.Result diff(@PathVariable String id, @RequestParam String from,
                                             @RequestParam String to) {
        return io.riskgate.audit.PolicyDiff.of(version(id, from), version(id, to));
    }

    /** {actor, reason} of an officer's request; both required when {@code required}, else "api"/"reload". */
    static String[] actorAndReason(com.fasterxml.jackson.databind.JsonNode body, boolean required) {
        List<io.riskgate.order.FieldProblem> problems = new java.util.ArrayList<>();
        String actor = "api";
        String reason = "reload";
        if (body != null && !body.isNull()) {
            io.riskgate.order.JsonFields f = io.riskgate.order.JsonFields.root(body, problems);
            f.rejectUnknown(java.util.Set.of("actor", "reason", "policyId"));
            actor = required ? f.text("actor", io.riskgate.order.CheckRequestParser.ID_PATTERN)
                    : f.optionalText("actor", io.riskgate.order.CheckRequestParser.ID_PATTERN).orElse(actor);
            reason = required ? f.text("reason", "(?s).{1,500}") : f.optionalText("reason", "(?s).{1,500}")
                    .orElse(reason);
        } else if (required) {
            problems.add(new io.riskgate.order.FieldProblem("body", "needs actor and reason"));
        }
        if (!problems.isEmpty()) {
            throw new io.riskgate.order.InvalidRequestException(problems);
        }
        return new String[] {actor, reason};
    }
}
