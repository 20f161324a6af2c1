package io.riskgate.api;

import io.riskgate.audit.AuditPage;
import io.riskgate.audit.AuditQuery;
import io.riskgate.audit.AuditRecord;
import io.riskgate.audit.AuditStore;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.errors.NotFoundException;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.security.AccountAccess;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.Optional;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail: one decision by id, or a page of decisions filtered by account, outcome, rule code and time. */
@RestController
@RequestMapping("/api/v1/decisions")
class DecisionsController {

    private final AuditStore audit;
    private final TradeService trades;

    DecisionsController(AuditStore audit, TradeService trades) {
        this.audit = audit;
        this.trades = trades;
    }

    /** An approval cancelled: its id and account ({@code cancelled} is always true: a refusal is a 409). */
    record Cancelled(String decisionId, boolean cancelled, String account) {
    }

    /** Cancels an approval that will not be traded: its reservation is released now, and it cannot be filled. */
    @Operation(summary = "Cancel an approval not filled: its reservation is released")
    @PostMapping("/{id}/cancel")
    Cancelled cancel(@PathVariable String id) {
        audit.find(id).ifPresent(r -> AccountAccess.requireTradingRecord(r.decision().account(), "decision"));
        Decision d = trades.cancel(id);
        return new Cancelled(d.decisionId(), true, d.account());
    }

    @Operation(summary = "One audited decision: the request, the decision, the rules that fired and the policy version")
    @GetMapping("/{id}")
    AuditRecord get(@PathVariable String id) {
        AuditRecord r = audit.find(id).orElseThrow(() -> new NotFoundException("no decision " + id));
        AccountAccess.requireReadingRecord(r.decision().account(), "decision");
        return r;
    }

    @Operation(summary = "Search audited decisions by account, outcome, symbol, rule code and time, newest first")
    @GetMapping
    AuditPage search(@RequestParam Optional<String> account, @RequestParam Optional<String> symbol,
                     @RequestParam Optional<Boolean> approved,
                     @RequestParam Optional<Outcome> outcome, @RequestParam Optional<String> code,
                     @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Optional<Instant> from,
                     @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Optional<Instant> to,
                     @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        AccountAccess.requireReading(account);
        for (Optional<Instant> t : java.util.List.of(from, to)) {
            if (t.filter(x -> x.isBefore(io.riskgate.order.Bounds.EARLIEST) || x.isAfter(io.riskgate.order.Bounds.LATEST))
                    .isPresent()) {
                throw InvalidRequestException.of(t == from ? "from" : "to", "must be between "
                        + io.riskgate.order.Bounds.EARLIEST + " and " + io.riskgate.order.Bounds.LATEST);
            }
        }
        return audit.search(new AuditQuery(account, symbol, approved, outcome, code, from, to, page, size));
    }
}
