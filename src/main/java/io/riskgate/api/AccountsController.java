package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.lifecycle.TradeDetail;
import io.riskgate.lifecycle.TradeService;
import io.riskgate.order.Echo;
import io.riskgate.order.FieldProblem;
import io.riskgate.portfolio.AccountView;
import io.riskgate.portfolio.EquityPoint;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.security.AccountAccess;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Account state: report equity, read equity, open positions, exposure and reservations. */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountsController {

    /** The most points or trades one read answers with. */
    static final int MAX_LIMIT = 5_000;

    private final Portfolio portfolio;
    private final io.riskgate.rules.RuleSetRegistry registry;
    private final TradeService trades;
    private final Clock clock;

    AccountsController(Portfolio portfolio, io.riskgate.rules.RuleSetRegistry registry, TradeService trades,
                       Clock clock) {
        this.portfolio = portfolio;
        this.registry = registry;
        this.trades = trades;
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
        return portfolio.view(AccountPaths.readable(id));
    }

    /** The account page's equity and drawdown charts: the latest reported snapshots, oldest first. */
    @Operation(summary = "An account's reported equity over time, oldest first, with the peak and drawdown at each")
    @GetMapping("/{id}/equity")
    List<EquityPoint> equityHistory(@PathVariable String id,
                                    @RequestParam(name = "limit", defaultValue = "500") int limit) {
        String account = AccountPaths.readable(id);
        return portfolio.store().equityHistory(account, limited(limit));
    }

    /** The account page's trades: newest opened first, with R-multiples, MFE and MAE; history per trade. */
    @Operation(summary = "An account's trades, newest first, with R-multiple, MFE and MAE; open or closed only")
    @GetMapping("/{id}/trades")
    List<TradeDetail> trades(@PathVariable String id,
                             @RequestParam(name = "state", required = false) String state,
                             @RequestParam(name = "limit", defaultValue = "100") int limit) {
        List<FieldProblem> problems = new ArrayList<>();
        AccountPaths.check(id, problems);
        if (state != null && !state.matches("(?i)OPEN|CLOSED")) {
            problems.add(new FieldProblem("state", "must be OPEN or CLOSED, was '" + Echo.of(state) + "'"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            problems.add(new FieldProblem("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        AccountAccess.requireReading(id);
        return trades.trades(id, Optional.ofNullable(state).map(s -> s.equalsIgnoreCase("OPEN")), limit);
    }

    private static int limited(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidRequestException.of("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }
}
