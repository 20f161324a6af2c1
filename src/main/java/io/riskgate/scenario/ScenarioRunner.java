package io.riskgate.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.riskgate.check.CheckPipeline;
import io.riskgate.check.PolicyCompiler;
import io.riskgate.decision.Decision;
import io.riskgate.exits.ExitEvaluator;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.facts.Adjustment;
import io.riskgate.facts.FiredRule;
import io.riskgate.governor.GovernorEvaluator;
import io.riskgate.governor.KillSwitches;
import io.riskgate.market.BarStore;
import io.riskgate.market.Mark;
import io.riskgate.market.MarketData;
import io.riskgate.market.PortfolioRisk;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.order.JsonFields;
import io.riskgate.policy.PolicyBundle;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.FirmLedger;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.Position;
import io.riskgate.portfolio.RecentChecks;
import io.riskgate.portfolio.StopOuts;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.runtime.RiskgateRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Runs the scenario tests risk officers write beside their policies ({@code policies/tests/*.yaml}): each scenario
 * gives an account, and an order (a pre-trade check) or a trade and a mark (the exit rules), and what the policy
 * must answer. Everything runs in memory on the real compiled rule base: no database state, no audit, nothing
 * stored. The file format is described in docs/risk-officer-guide.md.
 */
public final class ScenarioRunner {

    /** When a scenario gives no time, it is decided at this one, so results never depend on the day they run. */
    static final Instant DEFAULT_TIME = Instant.parse("2026-01-05T12:00:00Z");

    // the keys each part of a scenario file may hold: anything else is a typo, reported, never silently ignored
    static final Set<String> FILE_KEYS = Set.of("policy", "defaults", "scenarios");
    static final Set<String> DEFAULTS_KEYS = Set.of("account", "order");
    static final Set<String> SCENARIO_KEYS = Set.of("name", "account", "order", "trade", "mark", "tightening",
            "expect");
    static final Set<String> ACCOUNT_KEYS = Set.of("equity", "positions", "results", "peak_equity",
            "day_open_equity", "week_open_equity", "at", "volatility_spike_sigma", "max_pair_correlation", "clock",
            "stop_outs", "approvals", "firm");
    static final Set<String> STOP_OUT_KEYS = Set.of("symbol", "at");
    static final Set<String> APPROVAL_KEYS = Set.of("symbol", "side", "strategy", "quantity", "risk", "at");
    static final Set<String> FIRM_KEYS = Set.of("gross_exposure", "daily_risk");
    static final Set<String> POSITION_KEYS = Set.of("symbol", "side", "quantity", "entry", "stop_loss",
            "take_profit", "strategy", "last_price");
    static final Set<String> ORDER_EXPECT = Set.of("approved", "codes", "quantity", "risk_amount", "stop_loss",
            "take_profit", "fired", "not_fired", "adjustments", "state", "instructions");
    static final Set<String> MARK_EXPECT = Set.of("instructions", "stop_loss", "fired", "not_fired", "state");
    static final Set<String> TRADE_KEYS = Set.of("symbol", "side", "entry", "stop_loss", "take_profit", "atr",
            "quantity", "strategy", "opened_at");
    static final Set<String> MARK_KEYS = Set.of("price", "high", "low", "at");

    /** Adds a difference for each key of {@code node} not in {@code known}. */
    /** Unknown keys are failures, found the way a request's unknown fields are ({@link JsonFields#rejectUnknown}). */
    static void unknownKeys(JsonNode node, Set<String> known, String where, List<String> diffs) {
        if (node == null || !node.isObject()) {
            return;
        }
        List<FieldProblem> problems = new ArrayList<>();
        JsonFields.root(node, problems).rejectUnknown(known);
        problems.forEach(p -> diffs.add("unknown key '" + p.field() + "' in " + where + ": " + p.message()));
    }

    static final double DEFAULT_TOLERANCE = 1e-8;

    /** One scenario that did not answer as expected, with every difference. */
    public record Failure(String file, String scenario, List<String> differences) {
        @Override
        public String toString() {
            return file + ": " + scenario + "\n    " + String.join("\n    ", differences);
        }
    }

    /**
     * The outcome of a run; {@code codesSeen} are the rule codes the passing scenarios asserted firing (in
     * {@code codes}, {@code fired}, {@code adjustments} or {@code instructions}). A code named only in
     * {@code not_fired} is not among them: that a rule stays quiet says nothing about whether it can fire.
     */
    public record Report(int passed, List<Failure> failures, Set<String> codesSeen) {
        public int failed() {
            return failures.size();
        }
    }

    private final YAMLMapper yaml = new YAMLMapper();
    private final Map<String, CompiledPolicy> compiled = new HashMap<>();
    private final Map<String, PolicyBundle> bundles;
    private final CheckPipeline pipeline;
    private final org.h2.jdbcx.JdbcDataSource market;
    private final List<String> skipped = new ArrayList<>();
    private final boolean onlyGiven;

    /** Loads and compiles the policies of {@code policiesDir}; throws PolicyException listing every problem. */
    public ScenarioRunner(Path policiesDir, Path rulesDir) {
        this(new PolicyLoader(rulesDir.toAbsolutePath().normalize()).loadDirectory(policiesDir), Map.of(), false);
    }

    private ScenarioRunner(Map<String, PolicyBundle> bundles, Map<String, CompiledPolicy> given, boolean onlyGiven) {
        this.bundles = bundles;
        this.compiled.putAll(given);
        this.onlyGiven = onlyGiven;
        // an empty in-memory store of bars: scenarios give their market in the order
        this.market = new org.h2.jdbcx.JdbcDataSource();
        market.setURL("jdbc:h2:mem:scenarios-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        RiskgateRuntime.migrate(market);
        this.pipeline = new CheckPipeline(new PortfolioRisk(new MarketData(new BarStore(market),
                TransactionOperations.withoutTransaction(), Clock.systemUTC())));
    }

    /**
     * A runner for one candidate policy, already compiled (an officer's candidate in the console): the scenario
     * files of other policies are left out and named by {@link #skipped()}. The caller releases the candidate; the
     * runner is closed when done ({@link #close()}).
     */
    public static ScenarioRunner forCandidate(CompiledPolicy candidate) {
        return new ScenarioRunner(Map.of(candidate.id(), candidate.bundle()), Map.of(candidate.id(), candidate), true);
    }

    /** The scenario files a {@link #forCandidate} runner left out, each with the policy it is written for. */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Drops the in-memory market store (a long-lived server runs many). */
    public void close() {
        try (var c = market.getConnection(); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot drop the scenarios' in-memory store", e);
        }
    }

    /** Runs every {@code *.yaml} file in {@code testsDir}, in name order. */
    public Report run(Path testsDir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(testsDir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        int passed = 0;
        List<Failure> failures = new ArrayList<>();
        Set<String> codes = new TreeSet<>();
        for (Path f : files) {
            Report r = runFile(f);
            passed += r.passed();
            failures.addAll(r.failures());
            codes.addAll(r.codesSeen());
        }
        return new Report(passed, failures, codes);
    }

    public Report runFile(Path file) throws IOException {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            root = yaml.readTree(file.toFile());
        } catch (IOException e) {
            return new Report(0, List.of(new Failure(name, "(file)", List.of("not valid YAML: " + e.getMessage()))),
                    Set.of());
        }
        String policyId = root.path("policy").asText("default");
        PolicyBundle bundle = bundles.get(policyId);
        if (bundle == null && onlyGiven) {
            skipped.add(name + " (policy '" + policyId + "')");
            return new Report(0, List.of(), Set.of());
        }
        if (bundle == null) {
            return new Report(0, List.of(new Failure(name, "(file)", List.of("no policy '" + policyId + "' in "
                    + bundles.keySet()))), Set.of());
        }
        CompiledPolicy policy = compiled.computeIfAbsent(policyId, id -> PolicyCompiler.standard().compile(bundle));
        JsonNode defaults = root.path("defaults");
        int passed = 0;
        List<Failure> failures = new ArrayList<>();
        List<String> fileProblems = new ArrayList<>();
        unknownKeys(root, FILE_KEYS, "the file", fileProblems);
        unknownKeys(defaults, DEFAULTS_KEYS, "defaults", fileProblems);
        unknownKeys(defaults.path("account"), ACCOUNT_KEYS, "defaults.account", fileProblems);
        if (!fileProblems.isEmpty()) {
            failures.add(new Failure(name, "(file)", fileProblems));
        }
        Set<String> codes = new TreeSet<>();
        JsonNode scenarios = root.path("scenarios");
        if (!scenarios.isArray() || scenarios.isEmpty()) {
            failures.add(new Failure(name, "(file)", List.of("needs a non-empty 'scenarios' list")));
        }
        for (int i = 0; i < scenarios.size(); i++) {
            JsonNode sc = scenarios.get(i);
            String title = sc.path("name").asText("scenario " + (i + 1));
            List<String> diffs = new ArrayList<>();
            Set<String> asserted = new LinkedHashSet<>();
            try {
                run(policy, defaults, sc, diffs, asserted);
            } catch (InvalidRequestException e) {
                diffs.add("the order is not a valid check: " + e.getMessage());
            } catch (RuntimeException e) {
                diffs.add("could not run: " + e);
            }
            if (diffs.isEmpty()) {
                passed++;
                codes.addAll(asserted);
            } else {
                failures.add(new Failure(name, title, diffs));
            }
        }
        return new Report(passed, failures, codes);
    }

    private void run(CompiledPolicy policy, JsonNode defaults, JsonNode sc, List<String> diffs, Set<String> asserted) {
        JsonNode expect = sc.path("expect");
        unknownKeys(sc, SCENARIO_KEYS, "the scenario", diffs);
        if (!expect.isObject() || expect.isEmpty()) {
            diffs.add("needs an 'expect' block: a scenario that asserts nothing cannot fail");
            return;
        }
        if (sc.has("mark") || sc.has("trade")) {
            if (!sc.has("mark") || !sc.has("trade")) {
                diffs.add("an exit scenario needs both a 'trade' and a 'mark'");
                return;
            }
            unknownKeys(expect, MARK_EXPECT, "expect of an exit scenario", diffs);
            unknownKeys(sc.path("trade"), TRADE_KEYS, "trade", diffs);
            unknownKeys(sc.path("mark"), MARK_KEYS, "mark", diffs);
            for (String required : List.of("entry", "stop_loss", "take_profit")) {
                if (!sc.path("trade").has(required)) {
                    diffs.add("trade." + required + " is required");
                }
            }
            if (!sc.path("mark").has("price")) {
                diffs.add("mark.price is required");
            }
            if (diffs.isEmpty()) {
                runMark(policy, sc, expect, diffs, asserted);
            }
            return;
        }
        unknownKeys(expect, ORDER_EXPECT, "expect", diffs);
        unknownKeys(sc.path("account"), ACCOUNT_KEYS, "account", diffs);
        for (JsonNode p : sc.path("account").path("positions")) {
            unknownKeys(p, POSITION_KEYS, "a position", diffs);
        }
        for (JsonNode p : sc.path("account").path("stop_outs")) {
            unknownKeys(p, STOP_OUT_KEYS, "a stop-out", diffs);
        }
        for (JsonNode p : sc.path("account").path("approvals")) {
            unknownKeys(p, APPROVAL_KEYS, "an approval", diffs);
        }
        unknownKeys(sc.path("account").path("firm"), FIRM_KEYS, "account.firm", diffs);
        if (!diffs.isEmpty()) {
            return;
        }
        ObjectNode account = merge(defaults.path("account"), sc.path("account"));
        ObjectNode order = merge(defaults.path("order"), sc.path("order"));
        order.put("account", "scenario");
        Instant at = instant(order.path("market").path("timestamp"), instant(account.path("at"), DEFAULT_TIME));
        ((ObjectNode) order.with("market")).put("timestamp", at.toString());
        CheckRequest request = CheckRequestParser.parse(order);
        double equity = account.has("equity") ? account.path("equity").asDouble()
                : request.equity().orElseThrow(() -> new IllegalArgumentException(
                        "give the account's equity (account.equity, or equity in the order)"));
        List<Position> positions = new ArrayList<>();
        Map<String, Double> prices = new LinkedHashMap<>();
        int n = 0;
        for (JsonNode p : account.path("positions")) {
            String id = "position-" + (++n);
            Side side = Side.valueOf(p.path("side").asText("LONG").toUpperCase(Locale.ROOT));
            double entry = p.path("entry").asDouble();
            String symbol = p.path("symbol").asText().toUpperCase(Locale.ROOT);
            positions.add(new Position(id, id, "scenario", symbol, policy.policy().portfolio().assetOf(symbol),
                    p.hasNonNull("strategy") ? p.path("strategy").asText().toLowerCase(Locale.ROOT) : null, side,
                    p.path("quantity").asDouble(), entry, p.path("stop_loss").asDouble(entry * (1 - side.sign() * 0.05)),
                    p.path("take_profit").asDouble(entry * (1 + side.sign() * 0.1)), at));
            if (p.has("last_price")) {
                prices.put(id, p.path("last_price").asDouble());
            }
        }
        List<TradeResult> results = new ArrayList<>();
        for (JsonNode r : account.path("results")) {
            results.add(TradeResult.valueOf(r.asText().toUpperCase(Locale.ROOT)));
        }
        AccountBook book = AccountBook.preview("scenario", new EquitySnapshot("scenario", equity, at), positions,
                prices, results);
        var g = policy.policy().governor();
        double peak = account.path("peak_equity").asDouble(equity);
        double dayOpen = account.path("day_open_equity").asDouble(Math.max(equity, 0));
        double weekOpen = account.path("week_open_equity").asDouble(dayOpen);
        GovernorState start = new GovernorState(null, 0, peak, g.dayStart(at), dayOpen, g.weekStart(at), weekOpen,
                dayOpen, at, false, false, Set.of(), Set.of(), List.of(), List.of(), 1);
        book.governor(start);
        // the controls' history: stop-outs (cooldown, stop-loss guard), earlier approvals (duplicates, daily risk
        // budget), the rest of the firm, and the account's clock when it has seen a later event than the order's
        List<StopOuts.StopOut> stops = new ArrayList<>();
        for (JsonNode s : account.path("stop_outs")) {
            stops.add(new StopOuts.StopOut("stop-out-" + (stops.size() + 1), s.path("symbol").asText(),
                    instant(s.path("at"), at)));
        }
        List<RecentChecks.Approval> approvals = new ArrayList<>();
        for (JsonNode a : account.path("approvals")) {
            approvals.add(new RecentChecks.Approval("approval-" + (approvals.size() + 1), instant(a.path("at"), at),
                    a.path("symbol").asText(request.symbol()),
                    Side.valueOf(a.path("side").asText(request.side().name()).toUpperCase(Locale.ROOT)),
                    a.hasNonNull("strategy") ? a.path("strategy").asText() : request.strategy().orElse(null),
                    a.path("quantity").asDouble(), a.path("risk").asDouble()));
        }
        book.withHistory(stops, approvals);
        book.advance(instant(account.path("clock"), at));
        Instant accountNow = book.advance(at);
        CheckPipeline decider = pipeline;
        if (account.has("firm")) {
            FirmLedger others = FirmLedger.empty();
            others.publish("other accounts", account.path("firm").path("gross_exposure").asDouble(),
                    account.path("firm").path("daily_risk").asDouble());
            decider = new CheckPipeline(pipeline.risk(), KillSwitches.NONE, others);
        }
        // the live path: the governor at the order's time, then the order under the state it leaves; the spike
        // measures come from the scenario instead of stored bars
        GovernorEvaluator.Spikes.Measured spikes = new GovernorEvaluator.Spikes.Measured(
                account.path("volatility_spike_sigma").asDouble(Double.NaN),
                account.path("max_pair_correlation").asDouble(Double.NaN));
        CheckPipeline.Result result = decider.run("scenario", policy, request, book, at, accountNow,
                (open, when) -> spikes);
        GovernorEvaluator.Update governed = result.governor();
        Decision d = result.decision();

        List<String> fired = d.firedRuleDetails().stream().map(FiredRule::code).toList();
        List<String> governorFired = governed.fired().stream().map(FiredRule::code).toList();
        if (expect.has("approved")) {
            boolean want = expect.path("approved").asBoolean();
            if (d.approved() != want) {
                diffs.add("expected " + (want ? "approved" : "rejected") + " but was " + d.outcome()
                        + (d.rejections().isEmpty() ? "" : " " + d.codes()));
            }
        }
        if (expect.has("codes")) {
            Set<String> want = texts(expect.path("codes"));
            Set<String> got = new TreeSet<>(d.codes());
            asserted.addAll(want);
            if (!want.equals(got)) {
                diffs.add("expected rejection codes " + want + " but got " + got);
            }
        }
        number(expect.path("quantity"), d.quantity(), "quantity", diffs);
        number(expect.path("risk_amount"), d.riskAmount() == null ? Double.NaN : d.riskAmount(), "risk amount",
                diffs);
        number(expect.path("stop_loss"), d.stopLoss() == null ? Double.NaN : d.stopLoss(), "stop loss", diffs);
        number(expect.path("take_profit"), d.takeProfit() == null ? Double.NaN : d.takeProfit(), "take profit",
                diffs);
        List<String> allFired = new ArrayList<>(fired);
        allFired.addAll(governorFired);
        for (String code : texts(expect.path("fired"))) {
            asserted.add(code);
            if (!allFired.contains(code)) {
                diffs.add("expected rule " + code + " to fire; fired " + allFired);
            }
        }
        for (String code : texts(expect.path("not_fired"))) {
            if (allFired.contains(code)) {
                diffs.add("expected rule " + code + " not to fire, but it did");
            }
        }
        List<String> adjustments = d.adjustments().stream().map(a -> a.code() + " x " + a.factor()).toList();
        for (String code : texts(expect.path("adjustments"))) {
            asserted.add(code);
            if (d.adjustments().stream().map(Adjustment::code).noneMatch(code::equals)) {
                diffs.add("expected adjustment " + code + "; got " + adjustments);
            }
        }
        if (expect.has("state") && !expect.path("state").asText().equalsIgnoreCase(governed.state().state().name())) {
            diffs.add("expected trading state " + expect.path("state").asText() + " but was "
                    + governed.state().state());
        }
        if (expect.has("instructions")) {
            List<String> want = new ArrayList<>(texts(expect.path("instructions")));
            asserted.addAll(want);
            List<String> got = governed.instructions().stream().map(i -> i.code()).toList();
            if (!new TreeSet<>(want).equals(new TreeSet<>(got))) {
                diffs.add("expected governor instructions " + want + " but got " + got);
            }
        }
    }

    private void runMark(CompiledPolicy policy, JsonNode sc, JsonNode expect, List<String> diffs,
                         Set<String> asserted) {
        JsonNode t = sc.path("trade");
        Side side = Side.valueOf(t.path("side").asText("LONG").toUpperCase(Locale.ROOT));
        double entry = t.path("entry").asDouble();
        Instant opened = instant(t.path("opened_at"), DEFAULT_TIME);
        Trade trade = Trade.opened("scenario-trade", "scenario", "scenario",
                t.path("symbol").asText("BTCUSDT").toUpperCase(Locale.ROOT), "X",
                t.hasNonNull("strategy") ? t.path("strategy").asText() : null, side, t.path("quantity").asDouble(0.01),
                entry, t.path("stop_loss").asDouble(), t.path("take_profit").asDouble(),
                t.has("atr") ? t.path("atr").asDouble() : null, opened);
        JsonNode m = sc.path("mark");
        double price = m.path("price").asDouble();
        Mark mark = new Mark(trade.symbol(), price, m.path("high").asDouble(price), m.path("low").asDouble(price),
                instant(m.path("at"), opened.plusSeconds(60)));
        ExitEvaluator.Outcome o = ExitEvaluator.evaluate(policy, trade, mark, sc.path("tightening").asDouble(1));
        List<String> got = o.instructions().stream().map(ExitInstruction::code).toList();
        if (expect.has("instructions")) {
            List<String> want = new ArrayList<>(texts(expect.path("instructions")));
            asserted.addAll(want);
            if (!new TreeSet<>(want).equals(new TreeSet<>(got))) {
                diffs.add("expected exit instructions " + want + " but got " + got + " ("
                        + o.instructions().stream().map(i -> i.action() + " " + i.code()).toList() + ")");
            }
        }
        number(expect.path("stop_loss"), o.trade().stopLoss(), "stop loss", diffs);
        List<String> firedCodes = o.fired().stream().map(FiredRule::code).toList();
        for (String code : texts(expect.path("fired"))) {
            asserted.add(code);
            if (!firedCodes.contains(code)) {
                diffs.add("expected rule " + code + " to fire; fired " + firedCodes);
            }
        }
        for (String code : texts(expect.path("not_fired"))) {
            if (firedCodes.contains(code)) {
                diffs.add("expected rule " + code + " not to fire, but it did");
            }
        }
        if (expect.has("state") && !expect.path("state").asText().equalsIgnoreCase(o.trade().state().name())) {
            diffs.add("expected trade state " + expect.path("state").asText() + " but was " + o.trade().state());
        }
    }

    /** {@code expected} is a number, or {value, tolerance}; compared when present. */
    private static void number(JsonNode expected, double actual, String what, List<String> diffs) {
        if (expected.isMissingNode() || expected.isNull()) {
            return;
        }
        double want = expected.isObject() ? expected.path("value").asDouble() : expected.asDouble();
        double tolerance = expected.isObject() ? expected.path("tolerance").asDouble(DEFAULT_TOLERANCE)
                : DEFAULT_TOLERANCE;
        if (!(Math.abs(actual - want) <= tolerance)) {
            diffs.add("expected " + what + " " + want + " (+/- " + tolerance + ") but was " + actual);
        }
    }

    private static Set<String> texts(JsonNode list) {
        Set<String> out = new LinkedHashSet<>();
        if (list.isArray()) {
            list.forEach(n -> out.add(n.asText()));
        } else if (list.isTextual()) {
            out.add(list.asText());
        }
        return out;
    }

    private static Instant instant(JsonNode n, Instant fallback) {
        return n.isTextual() ? Instant.parse(n.asText()) : fallback;
    }

    /** {@code over} merged onto a copy of {@code base}, objects recursively (a scenario changes only what it names). */
    static ObjectNode merge(JsonNode base, JsonNode over) {
        ObjectNode out = base.isObject() ? ((ObjectNode) base).deepCopy() : JsonNodeFactory.instance.objectNode();
        if (!over.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = out.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                out.set(e.getKey(), merge(existing, e.getValue()));
            } else if (e.getValue().isNull()) {
                out.remove(e.getKey()); // "key: null" drops a default
            } else {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }
}
