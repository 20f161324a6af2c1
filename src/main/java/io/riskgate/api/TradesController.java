package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.lifecycle.TradeDetail;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.portfolio.Trade;
import io.riskgate.security.AccountAccess;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Fills against approved decisions open trades; closes record the exit and the realized P&L. */
@RestController
@RequestMapping("/api/v1/trades")
class TradesController {

    /** A decision's id as a fill names it (a UUID's characters). */
    static final String DECISION_ID = FillRequest.DECISION_ID;

    private final TradeService trades;
    private final io.riskgate.audit.AuditStore audit;

    TradesController(TradeService trades, io.riskgate.audit.AuditStore audit) {
        this.trades = trades;
        this.audit = audit;
    }

    @Operation(summary = "Report a fill of an approval: the trade opens and its reservation is released")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TradeService.FillResult fill(@RequestBody JsonNode body) {
        // whose decision it is comes first: another account's decision is a 403 whatever else is wrong
        FillRequest.decisionIdOf(body).flatMap(audit::find)
                .ifPresent(r -> AccountAccess.requireTradingRecord(r.decision().account(), "decision"));
        FillRequest request = FillRequest.parse(body);
        // and the decision the fill will be applied to, as parsed, is checked again: access is never decided on
        // another reading of the body than the one acted on
        audit.find(request.decisionId())
                .ifPresent(r -> AccountAccess.requireTradingRecord(r.decision().account(), "decision"));
        return trades.fill(request);
    }

    @Operation(summary = "Report a close of a trade, whole or part, at a price")
    @PostMapping("/{id}/close")
    Trade close(@PathVariable String id, @RequestBody JsonNode body) {
        AccountAccess.requireTradingRecord(trades.detail(id).trade().account(), "trade");
        return trades.close(id, CloseRequest.parse(body));
    }

    @Operation(summary = "A trade with its closes, exits, R-multiple, MFE and MAE")
    @GetMapping("/{id}")
    TradeDetail get(@PathVariable String id) {
        TradeDetail d = trades.detail(id);
        AccountAccess.requireReadingRecord(d.trade().account(), "trade");
        return d;
    }
}
