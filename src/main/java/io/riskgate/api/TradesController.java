package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.lifecycle.TradeDetail;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.order.Bounds;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.portfolio.Trade;
import io.riskgate.security.AccountAccess;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    static final String DECISION_ID = "[0-9a-fA-F-]{36}";

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
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = JsonFields.root(body, problems);
        f.rejectUnknown(Set.of("decisionId", "fillPrice", "quantity", "timestamp"));
        String decisionId = f.text("decisionId", DECISION_ID);
        double price = f.number("fillPrice", Bounds.PRICE);
        double quantity = f.number("quantity", Bounds.QUANTITY);
        var at = f.optionalInstant("timestamp");
        // whose decision it is comes first: another account's decision is a 403 whatever else is wrong
        if (decisionId != null) {
            audit.find(decisionId).ifPresent(r -> AccountAccess.requireTrading(r.decision().account()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return trades.fill(new FillRequest(decisionId, price, quantity, at));
    }

    @Operation(summary = "Report a close of a trade, whole or part, at a price")
    @PostMapping("/{id}/close")
    Trade close(@PathVariable String id, @RequestBody JsonNode body) {
        AccountAccess.requireTrading(trades.detail(id).trade().account());
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields f = JsonFields.root(body, problems);
        f.rejectUnknown(Set.of("price", "quantity", "reason", "timestamp"));
        double price = f.number("price", Bounds.PRICE);
        var quantity = f.optionalNumber("quantity", Bounds.QUANTITY);
        var reason = f.optionalText("reason", null);
        if (reason.filter(r -> r.length() > 500).isPresent()) {
            f.problem("reason", "must be at most 500 characters, was " + reason.get().length());
        }
        var at = f.optionalInstant("timestamp");
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return trades.close(id, new CloseRequest(price, quantity, reason, at));
    }

    @Operation(summary = "A trade with its closes, exits, R-multiple, MFE and MAE")
    @GetMapping("/{id}")
    TradeDetail get(@PathVariable String id) {
        TradeDetail d = trades.detail(id);
        AccountAccess.requireReading(d.trade().account());
        return d;
    }
}
