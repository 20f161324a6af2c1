package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.audit.AuditChain;
import io.riskgate.audit.AuditExport;
import io.riskgate.audit.AuditStore;
import io.riskgate.errors.NotFoundException;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.runtime.RiskgateRuntime;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The decision log's hash chain, for auditors: its head (to keep elsewhere as an anchor) and a walk that names every
 * record changed, removed or inserted (docs/architecture.md, Tamper evidence).
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final AuditChain chain;
    /** The group commit: no head is given out before its record is durable. */
    private final io.riskgate.database.GroupCommit commits;
    private final AuditExport export;
    private final Path exportDir;

    AuditController(AuditStore audit, RiskgateRuntime runtime,
                    @Value("${riskgate.audit.export-dir:./data/exports}") Path exportDir) {
        this.chain = audit.chain();
        this.commits = runtime.commits();
        this.export = audit.exporter(commits, runtime.json());
        this.exportDir = exportDir.toAbsolutePath().normalize();
    }

    /**
     * Retention, while the service runs (ADMIN): moves the decisions decided before {@code before} that no
     * reservation or trade refers to into a file in {@code riskgate.audit.export-dir} (configured, never named by
     * the request), leaving a tombstone each; answers what moved and where.
     */
    @Operation(summary = "Export and remove decisions older than a cutoff, keeping the audit chain verifiable")
    @PostMapping("/exports")
    AuditExport.Result export(@RequestBody(required = false) JsonNode body) throws IOException {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = Officer.request(body, Set.of("before"), problems);
        Optional<Instant> before = f.optionalInstant("before");
        if (before.isEmpty() && problems.isEmpty()) {
            problems.add(new FieldProblem("before", "is required: an ISO-8601 instant such as 2026-01-01T00:00:00Z"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return export.export(before.get(), AuditExport.ownerOnlyDirectory(exportDir));
    }

    /**
     * The chain's last record; 404 while no decision was recorded. Answered once what was read is durable
     * ({@link io.riskgate.database.GroupCommit#awaitDurable}): a record is readable from its batch's commit, before
     * its journal is synced, and an anchor of a record a crash then took back would make the next {@code verify}
     * report a rewritten chain.
     */
    @Operation(summary = "The audit chain's head (sequence and hash), to keep elsewhere as an anchor")
    @GetMapping("/head")
    AuditChain.Head head() {
        Optional<AuditChain.Head> head = chain.head();
        DurableReads.awaitDurable(commits);
        return head.orElseThrow(() -> new NotFoundException("no decision is in the chain yet"));
    }

    /** One decision's record against its place in the chain: its hash, and its links to the records either side. */
    @Operation(summary = "Verify one decision's audit record against its neighbours in the chain, without walking it")
    @GetMapping("/verify/{decisionId}")
    AuditChain.RecordCheck verifyRecord(@PathVariable String decisionId) {
        String pattern = io.riskgate.lifecycle.FillRequest.DECISION_ID;
        if (!decisionId.matches(pattern)) {
            throw InvalidRequestException.of("decisionId", "must match " + pattern);
        }
        return chain.verifyRecord(decisionId).orElseThrow(() -> new io.riskgate.errors.NotFoundException(
                "no decision " + decisionId + " in the live store (an exported one is verified with its file)"));
    }

    /**
     * Walks the chain, each exported record checked against its file in {@code riskgate.audit.export-dir};
     * {@code anchor} ({@code SEQ:HASH} from an earlier head) also catches a cut or rewritten chain.
     */
    @Operation(summary = "Verify the audit chain, optionally against an exported anchor; every problem named")
    @GetMapping("/verify")
    AuditChain.Report verify(@RequestParam Optional<String> anchor) {
        Optional<AuditChain.Head> a;
        try {
            a = anchor.map(AuditChain.Head::parse);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("anchor", e.getMessage());
        }
        // every exported record checked against its file where the exports are kept
        return chain.verify(a, Optional.of(exportDir));
    }
}
