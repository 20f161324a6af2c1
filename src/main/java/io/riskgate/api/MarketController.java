package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.market.AccountRisk;
import io.riskgate.market.BarsParser;
import io.riskgate.market.MarketBar;
import io.riskgate.market.MarketData;
import io.riskgate.market.PortfolioRisk;
import io.riskgate.order.Bounds;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.Echo;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.rules.RuleSetRegistry;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Market data in (OHLCV bars, in batches) and an account's portfolio risk out. */
@RestController
class MarketController {

    /** A batch larger than this is refused: post history in pages. */
    static final int MAX_BATCH = 10_000;

    /** How many bars a batch stored (a bar posted again replaces the stored one and counts too). */
    record Stored(int stored) {
    }

    private final MarketData market;
    private final Portfolio portfolio;
    private final RuleSetRegistry registry;
    private final Clock clock;

    MarketController(MarketData market, Portfolio portfolio, RuleSetRegistry registry, Clock clock) {
        this.market = market;
        this.portfolio = portfolio;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Stores a batch of bars, all or nothing. {@code symbol} and {@code interval} at the top apply to every bar that
     * does not name its own.
     */
    @Operation(summary = "Post OHLCV bars (ATR, EMA, VaR and correlation are computed from them)")
    @PostMapping("/api/v1/market/bars")
    Stored post(@RequestBody JsonNode body) {
        return new Stored(market.ingest(BarsParser.json(body, MAX_BATCH)));
    }

    /** The latest bars of a symbol at an interval, oldest first. */
    @Operation(summary = "Stored bars of a symbol and interval")
    @GetMapping("/api/v1/market/bars")
    List<MarketBar> get(@RequestParam String symbol, @RequestParam String interval,
                        @RequestParam(defaultValue = "100") int limit) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!symbol.matches(CheckRequestParser.ID_PATTERN)) {
            problems.add(new FieldProblem("symbol", "must match " + CheckRequestParser.ID_PATTERN));
        }
        if (!interval.matches(PolicyLoader.BAR_INTERVAL)) {
            problems.add(new FieldProblem("interval", "must be an interval such as 1h or 1d, was '" + Echo.of(interval)
                    + "'"));
        }
        if (limit < 1 || limit > MarketData.HISTORY) {
            problems.add(new FieldProblem("limit", "must be between 1 and " + MarketData.HISTORY + ", was " + limit));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        List<MarketBar> all = market.series(symbol.toUpperCase(Locale.ROOT), interval).bars();
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    /** The account's portfolio risk now (VaR, ES, heat, correlations, concentration, diversification). */
    @Operation(summary = "An account's portfolio risk: VaR, correlation, heat, exposures")
    @GetMapping("/api/v1/accounts/{id}/risk")
    AccountRisk risk(@PathVariable String id) {
        AccountPaths.readable(id);
        var policy = registry.forAccountOrDefault(id).policy();
        return portfolio.withAccount(id, book -> new PortfolioRisk(market).accountRisk(policy.analytics(), book,
                book.markedEquity().orElse(null), clock.instant()));
    }
}
