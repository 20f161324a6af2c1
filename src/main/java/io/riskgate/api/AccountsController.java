package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.portfolio.AccountView;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.security.AccountAccess;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Account state: report equity, read equity, open positions, exposure and reservations. */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountsController {

    private final Portfolio portfolio;
    private final io.riskgate.rules.RuleSetRegistry registry;
    private final Clock clock;

    AccountsController(Portfolio portfolio, io.riskgate.rules.RuleSetRegistry registry, Clock clock) {
        this.portfolio = portfolio;
        this.registry = registry;
        this.clock = clock;
    }

    @Operation(summary = "Report an account's equity at an event time; the governor measures it")
    @PutMapping("/{id}/equity")
    AccountView equity(@PathVariable String id, @RequestBody JsonNode body) {
        AccountAccess.requireFeeding(id);
        return portfolio.reportEquity(EquitySnapshot.parse(id, body, registry.active().policy().portfolio(),
                clock.instant()));
    }

    @Operation(summary = "An account as the engine holds it: equity, open positions, reservations, exposure")
    @GetMapping("/{id}")
    AccountView get(@PathVariable String id) {
        if (!id.matches(CheckRequestParser.ID_PATTERN)) {
            throw InvalidRequestException.of("id", "must match " + CheckRequestParser.ID_PATTERN);
        }
        AccountAccess.requireReading(id);
        return portfolio.view(id);
    }
}
