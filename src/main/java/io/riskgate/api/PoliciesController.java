package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.audit.AuditQuery;
import io.riskgate.audit.AuditStore;
import io.riskgate.audit.PolicyArchive;
import io.riskgate.config.RiskgateProperties;
import io.riskgate.decision.PolicyRef;
import io.riskgate.errors.NotFoundException;
import io.riskgate.market.MarketData;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleInfo;
import io.riskgate.rules.RuleSetCompiler;
import io.riskgate.rules.RuleSetRegistry;
import io.riskgate.scenario.Candidate;
import io.riskgate.scenario.ScenarioRunner;
import io.riskgate.scenario.WhatIf;
import io.riskgate.scenario.Workspace;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The policy in force, an officer's reload (422 with every problem when the new files are invalid), the archive of
 * every version that was in force, the activation log, and what-if previews of candidate policies.
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

    /** How long a principal whose what-if is still running is asked to wait before the next (Retry-After). */
    static final int WHAT_IF_RETRY_AFTER_SECONDS = 5;


    private final RuleSetRegistry registry;
    private final PolicyArchive archive;
    private final WhatIf.Replay replay;
    private final Path rulesDir;
    private final Path liveTests;
    private final Workspace workspace;
    private final InFlight whatIfs = new InFlight();

    PoliciesController(RuleSetRegistry registry, PolicyArchive archive, AuditStore audit, MarketData market,
                       Clock clock, ObjectMapper json, RiskgateProperties props, Workspace workspace) {
        this.registry = registry;
        this.archive = archive;
        this.replay = new WhatIf.Replay(audit, market, clock, json);
        this.rulesDir = props.rulesDir().toAbsolutePath().normalize();
        this.liveTests = props.policiesDir().toAbsolutePath().normalize().resolve("tests");
        this.workspace = workspace;
    }

    /** The principals' running what-ifs and validations; a test holds a slot to be sure one is running. */
    InFlight whatIfs() {
        return whatIfs;
    }

    /** A what-if by a principal whose previous one is still running. */
    static final class WhatIfRunning extends RuntimeException {
        WhatIfRunning(String principal) {
            super("a what-if of " + principal + " is still running: one at a time per principal (each compiles a "
                    + "whole rule base); send this one again when it has answered");
        }
    }

    @ExceptionHandler(WhatIfRunning.class)
    ResponseEntity<ProblemDetail> whatIfRunning(WhatIfRunning e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        p.setTitle("A what-if of yours is running");
        p.setType(URI.create("https://riskgate.io/problems/429"));
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(WHAT_IF_RETRY_AFTER_SECONDS))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /**
     * What-if: the last {@code last} audited decisions (or those in [from, to], optionally of one account) decided
     * again under a candidate policy, without touching live state; which would change, and the rules that caused
     * it. The candidate is inline {@code yaml} (compiled with the live rule files; its gates are checked against
     * the allow-list like any policy's), or a {@code directory} relative to the workspace ({@link Workspace}) whose
     * rules directory beside it holds candidate rule files; {@code policyId} names it (default: "default"). Rule
     * files are never taken from a request: DRL and decision-table actions are code. One at a time per principal:
     * a second while the first runs is a 429 with Retry-After.
     */
    @Operation(summary = "Preview a candidate policy over audited decisions: which would change, and why")
    @PostMapping("/what-if")
    WhatIf.Report whatIf(@RequestBody JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = JsonFields.root(body, problems);
        f.rejectUnknown(Set.of("directory", "yaml", "rules", "policyId", "last", "from", "to", "account"));
        int last = (int) f.optionalNumber("last", 0, true).orElse(100);
        Optional<Instant> from = f.optionalInstant("from");
        Optional<Instant> to = f.optionalInstant("to");
        Optional<String> account = f.optionalText("account", CheckRequestParser.ID_PATTERN);
        if (last > AuditQuery.MAX_SIZE) {
            f.problem("last", "must be at most " + AuditQuery.MAX_SIZE + ", was " + last);
        }
        Sent sent = candidate(body, f, problems);
        AuditQuery decisions = new AuditQuery(account, Optional.empty(), Optional.empty(), Optional.empty(), from,
                to, 0, Math.max(1, last));
        String who = Officer.name(principal);
        try (InFlight.Slot slot = whatIfs.enter(who).orElseThrow(() -> new WhatIfRunning(who))) {
            return WhatIf.preview(sent.candidate(), decisions, () -> replay);
        }
    }

    /** A candidate's scenario tests: how many passed, each failure with what differed, and the files left out. */
    record Scenarios(String tests, int passed, int failed, List<ScenarioRunner.Failure> failures,
                     List<String> skipped) {
    }

    /** A candidate that compiled: its identity, its rule count and its scenario tests. */
    record Validation(PolicyRef candidate, int rules, Scenarios scenarios) {
    }

    /**
     * Validates a candidate as a reload would, without putting it in force: 422 with every problem at its file and
     * line, else its scenario tests run against it (those of the candidate's workspace directory when it has a
     * {@code tests} directory, else the live ones; files for other policies are left out). The body is the what-if's
     * candidate: {@code yaml} or a workspace {@code directory}, and {@code policyId}. Shares the what-if's
     * one-at-a-time slot per principal (each compiles a whole rule base).
     */
    @Operation(summary = "Validate a candidate policy and run the scenario tests against it, without activating it")
    @PostMapping("/validate")
    Validation validate(@RequestBody JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = JsonFields.root(body, problems);
        f.rejectUnknown(Set.of("directory", "yaml", "rules", "policyId"));
        Sent sent = candidate(body, f, problems);
        Path tests = sent.location().map(l -> l.policies().resolve("tests")).filter(Files::isDirectory)
                .orElse(liveTests);
        String testsName = sent.location().filter(l -> Files.isDirectory(l.policies().resolve("tests")))
                .map(l -> l.name() + "/tests").orElse("the live scenario tests");
        String who = Officer.name(principal);
        try (InFlight.Slot slot = whatIfs.enter(who).orElseThrow(() -> new WhatIfRunning(who))) {
            CompiledPolicy compiled = sent.candidate().compile();
            ScenarioRunner runner = ScenarioRunner.forCandidate(compiled);
            try {
                ScenarioRunner.Report report = Files.isDirectory(tests) ? runner.run(tests)
                        : new ScenarioRunner.Report(0, List.of(), Set.of());
                return new Validation(PolicyRef.of(compiled), compiled.rules().size(), new Scenarios(testsName,
                        report.passed(), report.failed(), report.failures(), runner.skipped()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the scenario tests", e);
            } finally {
                runner.close();
                RuleSetCompiler.release(compiled.container(), compiled.releaseId());
            }
        }
    }

    /** A candidate as a request sends it, and the workspace directory it is in (none for inline YAML). */
    private record Sent(Candidate candidate, Optional<Workspace.Location> location) {
    }

    /**
     * The candidate of a what-if or validation: inline {@code yaml} (compiled with the live rule files; its gates are
     * checked against the allow-list like any policy's), or a {@code directory} relative to the workspace
     * ({@link Workspace}) whose rules directory beside it holds candidate rule files; {@code policyId} names it
     * (default: "default"). Rule files are never taken from a request: DRL and decision-table actions are code.
     * Throws every problem of the body, the caller's own fields included.
     */
    private Sent candidate(JsonNode body, JsonFields f, List<FieldProblem> problems) {
        Optional<String> directory = f.optionalText("directory", null);
        // the YAML exactly as sent (not trimmed): its sha256 is then the file's
        Optional<String> yaml = f.optionalText("yaml", null).map(x -> body.path("yaml").asText());
        String policyId = f.optionalText("policyId", PolicyLoader.POLICY_ID).orElse("default");
        if (f.has("directory") == f.has("yaml")) {
            f.problem("directory", "give the candidate as a directory of the workspace or as inline yaml (one of "
                    + "the two)");
        }
        if (f.has("rules")) {
            // DRL consequences and decision-table actions are Java: they would run on this server
            f.problem("rules", "rule files are code and are not taken from a request: put the candidate's rule files "
                    + "in the workspace (a rules directory beside its policies) and send its directory");
        }
        if (directory.isPresent() && problems.stream().noneMatch(p -> p.field().equals("directory"))) {
            Workspace.problemWith(directory.get()).ifPresent(why -> f.problem("directory", why));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        // the files are looked at only for a request that is otherwise valid
        Optional<Workspace.Location> location = directory.map(workspace::resolve);
        return new Sent(location.isPresent() ? Candidate.inWorkspace(location.get(), policyId, rulesDir)
                : Candidate.inline(policyId, yaml.orElseThrow(), Map.of(), rulesDir), location);
    }

    /** The exact YAML and rule files of any policy version that was ever in force, by the sha256 decisions carry. */
    @Operation(summary = "An archived policy version by its sha256, with its rule files")
    @GetMapping("/archive/{sha256}")
    PolicyArchive.ArchivedPolicy archived(@PathVariable String sha256) {
        return archive.find(sha256).orElseThrow(() -> new NotFoundException("no archived policy with sha256 "
                + sha256));
    }

    /** The latest reloads, activated or refused (with their problems), newest first. */
    @Operation(summary = "The activation log: activations, refusals, removals and assignments, newest first")
    @GetMapping("/activations")
    List<PolicyArchive.Activation> activations(@RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be in [1, 500], was " + limit);
        }
        return archive.activations(limit);
    }

    @Operation(summary = "The policies in force, with their versions and sha256")
    @GetMapping("/active")
    PolicyView active() {
        return PolicyView.of(registry.active());
    }

    /**
     * Puts the policy files in force: reloads every policy, recording the authenticated principal as the actor and
     * the body's required {@code reason}; a body naming an {@code actor} is refused. 422 listing every problem when
     * the files are invalid: nothing changes then.
     */
    @Operation(summary = "Put the policy files in force, with the officer's reason; refused with every problem listed")
    @PostMapping("/reload")
    ReloadView reload(@RequestBody(required = false) JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        String reason = Officer.reason(Officer.request(body, Set.of("reason"), problems));
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        RuleSetRegistry.ReloadResult r = registry.reload(Officer.name(principal), reason);
        return new ReloadView(r.compiled(), r.unchanged(), r.removed(), PolicyView.of(r.active()));
    }

    /** Every version of a policy ever loaded, newest first, with who put it in force, when and why. */
    @Operation(summary = "Every version of a policy with who activated it, when and why")
    @GetMapping("/{id}/versions")
    List<PolicyArchive.PolicyVersion> versions(@PathVariable String id) {
        List<PolicyArchive.PolicyVersion> v = archive.versions(id);
        if (v.isEmpty()) {
            throw new NotFoundException("no policy '" + id + "' was ever loaded");
        }
        return v;
    }

    /** One version's exact YAML and rule files, by version string or sha256. */
    @Operation(summary = "One version of a policy, by version or sha256")
    @GetMapping("/{id}/versions/{version}")
    PolicyArchive.ArchivedPolicy version(@PathVariable String id, @PathVariable String version) {
        return archive.version(id, version).orElseThrow(() -> new NotFoundException("policy '" + id
                + "' has no version or sha256 '" + version + "'"));
    }

    /** What changed from one version to another: YAML keys, and each rule file's DRL as a unified diff. */
    @Operation(summary = "What changed between two versions of a policy: settings, rule files, table rows")
    @GetMapping("/{id}/diff")
    io.riskgate.audit.PolicyDiff.Result diff(@PathVariable String id, @RequestParam String from,
                                             @RequestParam String to) {
        return io.riskgate.audit.PolicyDiff.of(version(id, from), version(id, to));
    }
}
