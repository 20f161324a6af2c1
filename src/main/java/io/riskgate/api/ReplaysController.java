package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.riskgate.errors.NotFoundException;
import io.riskgate.market.BarsParser;
import io.riskgate.market.MarketBar;
import io.riskgate.order.Bounds;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.replay.ReplayJobs;
import io.riskgate.replay.ReplaySettings;
import io.riskgate.replay.ReplaySignal;
import io.riskgate.replay.SignalsParser;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replays for officers (docs/replay.md): {@code POST /api/v1/replays} queues one — a policy of the service's
 * directory over the bars and signals in the body — and answers 202 with its id; {@code GET /api/v1/replays/{id}}
 * its progress and summary, {@code .../report} its HTML report, {@code .../decisions} its decisions as JSON Lines,
 * {@code .../compare} the two policies side by side when the job named a {@code comparePolicy}.
 */
@RestController
class ReplaysController {

    /** The most bars one request may carry. */
    static final int MAX_BARS = 200_000;

    private final ReplayJobs jobs;

    ReplaysController(ReplayJobs jobs) {
        this.jobs = jobs;
    }

    @Operation(summary = "Start a replay of history through the policy in force")
    @PostMapping("/api/v1/replays")
    ResponseEntity<ReplayJobs.Job> start(@RequestBody(required = false) JsonNode body, Principal principal) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = Officer.request(body, Set.of("policy", "comparePolicy", "bars", "signals", "equity", "fill",
                "slippageBps", "feeBps", "spreadBps"), problems);
        String policy = f.optionalText("policy", PolicyLoader.POLICY_ID).orElse("default");
        String comparePolicy = f.optionalText("comparePolicy", PolicyLoader.POLICY_ID).orElse(null);
        double equity = f.optionalNumber("equity", Bounds.EQUITY).orElse(10_000);
        String fill = f.optionalText("fill", "(?i)close|next[-_]open").orElse("next-open");
        double slippage = f.optionalNumber("slippageBps", Bounds.Range.from(0, 10_000)).orElse(5);
        double fee = f.optionalNumber("feeBps", Bounds.Range.from(0, 10_000)).orElse(10);
        double spread = f.optionalNumber("spreadBps", Bounds.SPREAD_BPS).orElse(5);
        List<MarketBar> bars = List.of();
        List<ReplaySignal> signals = List.of();
        try {
            JsonNode wrapped = JsonNodeFactory.instance.objectNode().set("bars", body == null ? null : body.get("bars"));
            bars = BarsParser.json(wrapped, MAX_BARS);
        } catch (InvalidRequestException e) {
            problems.addAll(e.problems());
        }
        try {
            JsonNode s = body == null ? null : body.get("signals");
            signals = s == null || s.isNull() ? List.of() : SignalsParser.json(s, "signals");
        } catch (InvalidRequestException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        ReplaySettings settings = new ReplaySettings("replay", equity, fill.toLowerCase(Locale.ROOT).equals("close")
                ? ReplaySettings.Fill.CLOSE : ReplaySettings.Fill.NEXT_OPEN, slippage, fee, spread);
        try {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(jobs.start(Officer.name(principal), policy,
                    comparePolicy, bars, signals, settings));
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of(e.getMessage().contains("'" + policy + "'") ? "policy" : "comparePolicy",
                    e.getMessage());
        }
    }

    /** A replay refused while {@link ReplayJobs#PENDING} are queued or running: 429, try again later. */
    @org.springframework.web.bind.annotation.ExceptionHandler(ReplayJobs.Busy.class)
    ResponseEntity<org.springframework.http.ProblemDetail> busy(ReplayJobs.Busy e) {
        org.springframework.http.ProblemDetail p = org.springframework.http.ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        p.setTitle("Replays are queued");
        p.setType(java.net.URI.create("https://riskgate.io/problems/429"));
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(org.springframework.http.HttpHeaders.RETRY_AFTER, "10")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @Operation(summary = "The replays started since the service started")
    @GetMapping("/api/v1/replays")
    List<ReplayJobs.Job> list() {
        return jobs.list();
    }

    @Operation(summary = "A replay's progress and results")
    @GetMapping("/api/v1/replays/{id}")
    ReplayJobs.Job get(@PathVariable String id) {
        return jobs.get(id).orElseThrow(() -> new NotFoundException("no replay " + id));
    }

    @Operation(summary = "A finished replay's HTML report")
    @GetMapping(value = "/api/v1/replays/{id}/report", produces = MediaType.TEXT_HTML_VALUE)
    String report(@PathVariable String id) {
        return finished(id, jobs.report(id));
    }

    @Operation(summary = "A finished replay's comparison of two policies, as HTML")
    @GetMapping(value = "/api/v1/replays/{id}/compare", produces = MediaType.TEXT_HTML_VALUE)
    String compare(@PathVariable String id) {
        return finished(id, jobs.compare(id));
    }

    @Operation(summary = "A finished replay's decisions, one JSON object per line")
    @GetMapping(value = "/api/v1/replays/{id}/decisions", produces = "application/x-ndjson")
    String decisions(@PathVariable String id) {
        return finished(id, jobs.decisions(id));
    }

    private String finished(String id, java.util.Optional<String> content) {
        ReplayJobs.Job job = get(id);
        return content.orElseThrow(() -> new io.riskgate.errors.ConflictException("replay " + id + " is "
                + job.state() + (job.error() == null ? "" : " (" + job.error() + ")") + ": no result yet"));
    }
}
