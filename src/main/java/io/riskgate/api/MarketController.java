package io.riskgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgate.market.AccountRisk;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    @PostMapping("/api/v1/market/bars")
    Map<String, Object> post(@RequestBody JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields root = JsonFields.root(body, problems);
        root.rejectUnknown(Set.of("symbol", "interval", "bars"));
        String symbol = root.optionalText("symbol", CheckRequestParser.ID_PATTERN).orElse(null);
        String interval = root.optionalText("interval", PolicyLoader.BAR_INTERVAL).orElse(null);
        JsonNode array = body == null ? null : body.get("bars");
        List<MarketBar> bars = new ArrayList<>();
        if (array == null || !array.isArray() || array.isEmpty()) {
            root.problem("bars", "must be a non-empty array of bars");
        } else if (array.size() > MAX_BATCH) {
            root.problem("bars", "holds " + array.size() + " bars; post at most " + MAX_BATCH + " at a time");
        } else {
            for (int i = 0; i < array.size(); i++) {
                if (!array.get(i).isObject()) {
                    problems.add(new FieldProblem("bars[" + i + "]", "must be a bar object {openTime, open, high, low, "
                            + "close, volume}, was " + Echo.of(array.get(i))));
                    continue;
                }
                JsonFields b = new JsonFields(array.get(i), "bars[" + i + "]", problems);
                b.rejectUnknown(Set.of("symbol", "interval", "openTime", "open", "high", "low", "close", "volume"));
                String s = b.optionalText("symbol", CheckRequestParser.ID_PATTERN).orElse(symbol);
                String iv = b.optionalText("interval", PolicyLoader.BAR_INTERVAL).orElse(interval);
                var openTime = b.optionalInstant("openTime");
                double open = b.number("open", Bounds.PRICE);
                double high = b.number("high", Bounds.PRICE);
                double low = b.number("low", Bounds.PRICE);
                double close = b.number("close", Bounds.PRICE);
                double volume = b.number("volume", Bounds.VOLUME);
                if (s == null) {
                    b.problem("symbol", "is required (here or at the top of the batch)");
                }
                if (iv == null) {
                    b.problem("interval", "is required (here or at the top of the batch), e.g. 1d");
                }
                if (openTime.isEmpty() && !array.get(i).has("openTime")) {
                    b.problem("openTime", "is required");
                }
                if (open > 0 && close > 0 && high > 0 && high < Math.max(open, close)) {
                    b.problem("high", "must be at least open and close, was " + high);
                }
                if (open > 0 && close > 0 && low > 0 && low > Math.min(open, close)) {
                    b.problem("low", "must be at most open and close, was " + low);
                }
                if (problems.isEmpty()) {
                    bars.add(new MarketBar(s.toUpperCase(Locale.ROOT), iv, openTime.get(), open, high, low, close,
                            volume));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return Map.of("stored", market.ingest(bars));
    }

    /** The latest bars of a symbol at an interval, oldest first. */
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
    @GetMapping("/api/v1/accounts/{id}/risk")
    AccountRisk risk(@PathVariable String id) {
        if (!id.matches(CheckRequestParser.ID_PATTERN)) {
            throw InvalidRequestException.of("id", "must match " + CheckRequestParser.ID_PATTERN);
        }
        io.riskgate.security.AccountAccess.requireReading(id);
        var policy = registry.forAccountOrDefault(id).policy();
        return portfolio.withAccount(id, book -> new PortfolioRisk(market).accountRisk(policy.analytics(), book,
                book.markedEquity().orElse(null), clock.instant()));
    }
}
