package io.riskgate.check;

import io.riskgate.decision.AccountState;
import io.riskgate.decision.Decision;
import io.riskgate.decision.OrderAnalytics;
import io.riskgate.decision.Outcome;
import io.riskgate.decision.PolicyRef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.riskgate.audit.AuditRecord;
import io.riskgate.audit.AuditStore;
import io.riskgate.errors.ConflictException;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.policy.HardCaps;
import io.riskgate.policy.Policy;
import io.riskgate.policy.PortfolioLimits;
import io.riskgate.policy.Sizing;
import io.riskgate.policy.StrategyProfile;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.Portfolio;
import io.riskgate.portfolio.Reservation;
import io.riskgate.facts.Caps;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.facts.OrderFacts;
import io.riskgate.facts.Rejection;
import io.riskgate.rules.RuleEvaluator;
import io.riskgate.rules.RuleSetRegistry;
import io.riskgate.facts.SizedOrder;
import io.riskgate.facts.StrategyLimits;
import io.riskgate.facts.Verdict;
import io.riskgate.sizing.AtrSizer;
import io.riskgate.sizing.Cap;
import io.riskgate.sizing.SizingInput;
import io.riskgate.sizing.SizingResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-trade check: the path of one request from JSON to an audited decision.
 *
 * <ol>
 *   <li>parse and validate the request (every bad field reported; nothing stored on a 400);</li>
 *   <li>read the compiled policy in force once;</li>
 *   <li>take the account's lock, expire lapsed reservations (event time), record the equity sent along;</li>
 *   <li>no positive equity known: reject {@code NO_EQUITY};</li>
 *   <li>evaluate the rules: gates and tables, then Java sizing, then portfolio limits;</li>
 *   <li>commit the audit record and, if approved, the reservation, in one transaction; release the lock.</li>
 * </ol>
 * Any exception while deciding rejects the order as {@code ENGINE_ERROR}, audited and logged: nothing is ever
 * approved by default. Time comes from the request's market timestamp, else from the injected clock.
 */
public final class PreTradeEngine {

    public static final String NO_EQUITY = "NO_EQUITY";
    public static final String ENGINE_ERROR = "ENGINE_ERROR";
    public static final String INSUFFICIENT_MARKET_DATA = "INSUFFICIENT_MARKET_DATA";

    private static final Logger log = LoggerFactory.getLogger(PreTradeEngine.class);

    private final RuleSetRegistry registry;
    private final Portfolio portfolio;
    private final AuditStore audit;
    private final io.riskgate.governor.GovernorService governor;
    private final io.riskgate.market.PortfolioRisk risk;
    private final Clock clock;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final AtrSizer sizer = new AtrSizer();
    private final Timer latency;

    public PreTradeEngine(RuleSetRegistry registry, Portfolio portfolio, AuditStore audit,
                          io.riskgate.governor.GovernorService governor, io.riskgate.market.PortfolioRisk risk,
                          Clock clock, ObjectMapper json, MeterRegistry meters) {
        this.governor = governor;
        this.risk = risk;
        this.registry = registry;
        this.portfolio = portfolio;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
        this.meters = meters;
        this.latency = Timer.builder("riskgate.check.latency").description("pre-trade check latency, end to end")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    /**
     * An engine that only previews ({@link #evaluate}): no account lock, no audit, no reservation, no governor
     * write. For policy scenario tests and what-if replays.
     */
    public static PreTradeEngine forPreview(io.riskgate.market.PortfolioRisk risk, Clock clock, ObjectMapper json) {
        return new PreTradeEngine(null, null, null, null, risk, clock, json,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** Checks a request given as JSON (REST and CLI). Throws InvalidRequestException listing every bad field. */
    public Decision check(JsonNode body) {
        return check(CheckRequestParser.parse(body), body);
    }

    /** Checks a request built in-process. */
    public Decision check(CheckRequest request) {
        return check(request, json.valueToTree(request));
    }

    private Decision check(CheckRequest request, JsonNode raw) {
        long start = System.nanoTime();
        Instant now = request.market().timestamp().orElseGet(clock::instant);
        try {
            registry.active().policy().portfolio().requireNotAhead("market.timestamp", now, clock.instant());
        } catch (IllegalArgumentException e) {
            throw io.riskgate.order.InvalidRequestException.of("market.timestamp", e.getMessage());
        }
        String id = UUID.randomUUID().toString();
        Decision decision;
        CompiledPolicy policy = null;
        try {
            // the account's assigned policy, else the default; one assigned but not loaded fails closed, audited
            CompiledPolicy chosen;
            RuntimeException unloaded = null;
            try {
                chosen = registry.forAccount(request.account());
            } catch (IllegalStateException e) {
                chosen = registry.active();
                unloaded = e;
            }
            policy = chosen;
            RuntimeException policyError = unloaded;
            CompiledPolicy decider = chosen;
            decision = portfolio.withAccount(request.account(), book -> decideAndRecord(id, decider, request, raw,
                    book, now, policyError));
        } catch (ConflictException e) {
            throw e;
        } catch (Exception | Error e) {
            // the account could not even be loaded (database down): reject, log; there is nowhere to audit it
            log.error("check {} on account {} failed before deciding; rejecting ({}), not audited", id,
                    request.account(), ENGINE_ERROR, e);
            decision = failed(id, policy, request, now, e);
        }
        if (!decision.decisionId().equals(id)) {
            return decision; // a clientOrderId retry answered from the audit: it was counted the first time
        }
        latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        Counter.builder("riskgate.checks").tag("outcome", decision.outcome().name()).register(meters).increment();
        for (Rejection r : decision.rejections()) {
            Counter.builder("riskgate.rejections").tag("code", r.code()).register(meters).increment();
        }
        return decision;
    }

    private Decision decideAndRecord(String id, CompiledPolicy policy, CheckRequest request, JsonNode raw,
                                     AccountBook book, Instant now, RuntimeException policyError) {
        if (request.clientOrderId().isPresent()) {
            Optional<AuditRecord> first = audit.findByClientOrderId(request.account(), request.clientOrderId().get());
            if (first.isPresent()) {
                // a retry: the same request gets the first answer, and takes no second slot
                if (!sameOrder(first.get().request(), request)) {
                    throw new ConflictException("clientOrderId '" + request.clientOrderId().get() + "' was already "
                            + "used on account '" + request.account() + "' by decision "
                            + first.get().decision().decisionId() + " for a different request");
                }
                Decision earlier = first.get().decision();
                String released = earlier.approved()
                        ? portfolio.store().reservationRelease(earlier.decisionId()).orElse("") : "";
                if (released.equals("EXPIRED") || released.equals("CANCELLED")) {
                    throw new ConflictException("clientOrderId '" + request.clientOrderId().get() + "' was approved "
                            + "by decision " + earlier.decisionId() + ", whose reservation is " + released
                            + ": check again with a new clientOrderId");
                }
                return earlier;
            }
        }
        // reservations live on the account's event clock, which never runs backwards (see AccountBook.advance)
        Instant accountNow = book.advance(now);
        // the governor's state as stored: what the failure record below writes back if this check's commit fails
        io.riskgate.portfolio.GovernorState storedGovernor = book.governor();
        Portfolio.Batch batch = portfolio.batch(book).expire(accountNow);
        request.equity().ifPresent(e ->
                batch.recordEquity(new EquitySnapshot(request.account(), e, now), "CHECK"));
        Decision decision;
        io.riskgate.governor.GovernorEvaluator.Update governed = null;
        try {
            if (policyError != null) {
                throw policyError; // the account's policy is not loaded: fail closed, and audit it
            }
            // the governor first: the equity this check reports, and the clock, may trip or clear a breaker
            governed = governor.evaluate(policy, book, accountNow);
            decision = decide(id, policy, request, book, now, accountNow);
        } catch (Exception | Error e) {
            // any failure, a rule's Error included, rejects: fail closed
            log.error("check {} on account {} failed; rejecting ({})", id, request.account(), ENGINE_ERROR, e);
            decision = failed(id, policy, request, now, e);
        }
        Reservation reservation = decision.approved()
                ? new Reservation(id, request.account(), request.symbol(),
                policy.policy().portfolio().assetOf(request.symbol()), request.strategy().orElse(null),
                decision.notional(), decision.reservationExpiresAt())
                : null;
        Decision toStore = decision;
        io.riskgate.governor.GovernorEvaluator.Update update = governed;
        List<List<io.riskgate.governor.GovernorEvent>> events = new ArrayList<>(1);
        try {
            batch.commit(() -> {
                audit.insert(toStore, raw, clock.instant());
                if (update != null) {
                    events.add(governor.persist(update, policy.sha256()));
                }
            }, reservation);
            events.forEach(governor::publish);
            return decision;
        } catch (RuntimeException | Error e) {
            log.error("check {} on account {} could not be audited; rejecting ({})", id, request.account(),
                    ENGINE_ERROR, e);
            Decision failed = failed(id, policy, request, now, e);
            try {
                // the full record may have failed on its content: the bare failure record still tells the story.
                // The governor's changes of this check were rolled back with it: its state goes back as it was,
                // so a trip (and its instruction) is not recorded as done when it was never stored
                book.governor(storedGovernor);
                portfolio.batch(book).commit(() -> audit.insert(failed, raw, clock.instant()), null);
            } catch (RuntimeException | Error again) {
                log.error("check {}: the failure record could not be audited either", id, again);
            }
            return failed;
        }
    }

    /** Whether a stored request is the same order as a retried one, compared as parsed values (50000 = 50000.0). */
    private static boolean sameOrder(JsonNode stored, CheckRequest retried) {
        try {
            return CheckRequestParser.parse(stored).equals(retried);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * Decides without any I/O: nothing is audited, reserved or recorded. The account book must be read under the
     * account's lock ({@code portfolio.withAccount}). For benchmarks and previews; live checks use {@link #check}.
     */
    public Decision evaluate(CompiledPolicy policy, CheckRequest request, AccountBook book, Instant now) {
        return decide(UUID.randomUUID().toString(), policy, request, book, now, now);
    }

    private Decision decide(String id, CompiledPolicy compiled, CheckRequest checked, AccountBook book,
                            Instant now, Instant accountNow) {
        Policy policy = compiled.policy();
        CheckRequest request = checked;
        PolicyRef ref = ref(compiled);
        Optional<Double> equity = book.equity().map(EquitySnapshot::equity).filter(e -> e > 0);
        String asset = policy.portfolio().assetOf(request.symbol());
        AccountState state = new AccountState(book.equity().map(EquitySnapshot::equity).orElse(null),
                book.equity().map(EquitySnapshot::observedAt).orElse(null), book.positions().size(),
                book.reservations().size(), book.exposure(), book.assetExposure(asset),
                request.strategy().map(book::strategyExposure).orElse(null), accountNow);
        if (equity.isEmpty()) {
            Rejection r = new Rejection(NO_EQUITY, "engine", "no positive equity is known for account '"
                    + request.account() + "': send equity with the check or PUT /api/v1/accounts/"
                    + request.account() + "/equity");
            return Decision.unsized(id, Outcome.REJECTED, request, r, ref, now, state, null);
        }
        double eq = equity.get();
        // the ATR and EMA a check omits come from stored bars; too few bars rejects (fail closed), never a 0
        Map<String, Double> computed = new java.util.LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        request = withIndicators(policy, request, now, computed, missing);
        if (!missing.isEmpty()) {
            Rejection r = new Rejection(INSUFFICIENT_MARKET_DATA, "engine", "the check omits " + String.join(" and ",
                    missing) + ": send them, or post enough bars to /api/v1/market/bars");
            return Decision.unsized(id, Outcome.REJECTED, request, r, ref, now, state, null);
        }
        double volatility = realizedVolatility(policy, request, now, missing);
        if (!missing.isEmpty()) {
            Rejection r = new Rejection(INSUFFICIENT_MARKET_DATA, "engine", "the order cannot be sized without "
                    + missing.get(0) + ": post enough bars to /api/v1/market/bars");
            return Decision.unsized(id, Outcome.REJECTED, request, r, ref, now, state, null);
        }
        CheckRequest order = request;
        Verdict verdict = new Verdict();
        OrderFacts facts = new OrderFacts(policy, order, asset, book.positions().size(),
                book.reservations().size(), now, verdict, book.governor());
        facts.correlation(risk.correlation(policy.analytics(), policy.portfolio(), order.symbol(), order.side(),
                book.positions(), now));
        SizedOrder sized = RuleEvaluator.evaluate(compiled, facts, verdict, f -> {
            SizingResult sr = size(policy, order, verdict, book, asset, eq, volatility);
            return new SizedOrder(f, sr, policy.sizing().minPositionUsd(), policy.sizing().minRewardRisk(), eq, verdict)
                    .exposure(risk.exposure(policy.analytics(), order.symbol(), order.side(), sr.quantity(),
                            sr.entry(), sr.riskAtStop(), book, eq, now));
        });
        SizingResult s = sized.sizing();
        var c = facts.correlation();
        var x = sized.exposure();
        OrderAnalytics analytics = new OrderAnalytics(computed.isEmpty() ? null : computed, c.max(), c.with(),
                c.unmeasured().isEmpty() ? null : c.unmeasured(), x.heatPct(), x.varPct(), x.varMethod(),
                x.observations(), x.varNote());
        boolean approved = verdict.rejections().isEmpty() && s.quantity() > 0;
        if (verdict.rejections().isEmpty() && !approved) {
            throw new IllegalStateException("no rule rejected, yet the sized quantity is " + s.quantity());
        }
        return new Decision(id, approved ? Outcome.APPROVED : Outcome.REJECTED, approved, request.account(),
                request.symbol(), request.side(), request.strategy().orElse(null),
                request.clientOrderId().orElse(null), approved ? s.quantity() : 0, approved ? s.notional() : 0,
                s.entry(), s.stopLoss(), s.takeProfit(),
                s.riskAmount(), s.riskPct(), eq, s.rewardRisk(), verdict.rejections(), verdict.adjustments(),
                verdict.fired().stream().map(f -> f.name()).toList(), verdict.fired(), ref, now,
                approved ? accountNow.plus(policy.portfolio().reservationTtl()) : null, state, s, null, analytics);
    }

    /**
     * Fills in the ATR and EMA the check omitted, computed from the bars closed by {@code now}; what was computed
     * goes to {@code computed}, what could not be (and why) to {@code missing}.
     */
    private CheckRequest withIndicators(Policy policy, CheckRequest request, Instant now, Map<String, Double> computed,
                                        List<String> missing) {
        io.riskgate.order.Market m = request.market();
        if (m.atrGiven() && m.ema200Given()) {
            return request;
        }
        String interval = policy.analytics().barInterval();
        var series = risk.market().series(request.symbol(), interval).closedBy(now);
        double atr = m.atr();
        double ema = m.ema200();
        if (!m.atrGiven()) {
            var e = series.atr(policy.sizing().atrPeriod());
            if (e.isReady()) {
                atr = e.orElseThrow().value();
                computed.put("atr", atr);
            } else {
                missing.add("market.atr, and ATR(" + policy.sizing().atrPeriod() + ") of " + request.symbol() + " "
                        + interval + " bars cannot be computed (" + e.unavailableReason().orElse("") + ")");
            }
        }
        if (!m.ema200Given()) {
            var e = series.ema(policy.filters().emaPeriod());
            if (e.isReady()) {
                ema = e.orElseThrow().value();
                computed.put("ema200", ema);
            } else {
                missing.add("market.ema200, and EMA(" + policy.filters().emaPeriod() + ") of " + request.symbol() + " "
                        + interval + " bars cannot be computed (" + e.unavailableReason().orElse("") + ")");
            }
        }
        return missing.isEmpty() ? request.withMarket(m.withIndicators(atr, ema)) : request;
    }

    /** Sizes the order from what the first rule phase said, within every cap and headroom. */
    private SizingResult size(Policy policy, CheckRequest request, Verdict verdict, AccountBook book, String asset,
                              double equity, double realizedVolatility) {
        Sizing z = policy.sizing();
        PortfolioLimits limits = policy.portfolio();
        List<Cap> caps = new ArrayList<>();
        caps.add(new Cap(Caps.MAX_POSITION_USD, z.maxPositionUsd()));
        caps.add(new Cap(Caps.MAX_LEVERAGE, z.maxLeverage() * equity));
        caps.add(new Cap(Caps.MAX_EXPOSURE, limits.maxExposurePct() * equity - book.exposure()));
        caps.add(new Cap(Caps.ASSET_CONCENTRATION, limits.maxAssetConcentrationPct() * equity
                - book.assetExposure(asset)));
        // limits apply to declared strategies only; an undeclared one is rejected (UNKNOWN_STRATEGY) anyway
        List<StrategyLimits> strategyLimits = policy.strategy(request.strategy().orElse(null)).isPresent()
                ? verdict.strategyLimits() : List.of();
        if (strategyLimits.size() > 1) {
            throw new IllegalStateException("several per-strategy rows matched: " + strategyLimits);
        }
        for (StrategyLimits l : strategyLimits) {
            caps.add(new Cap(Caps.STRATEGY_MAX_POSITION, l.maxPositionPct() * equity
                    - book.strategyExposure(request.strategy().orElse(null))));
            if (!Double.isNaN(l.maxLeverage())) {
                caps.add(new Cap(Caps.STRATEGY_MAX_LEVERAGE, l.maxLeverage() * equity));
            }
        }
        Optional<StrategyProfile> profile = policy.strategy(request.strategy().orElse(null));
        double protective = verdict.protectiveMultiplier(policy.governor().dynamicCombine());
        java.util.function.DoubleFunction<SizingInput> input = target -> new SizingInput(request.side().sign(), equity,
                request.market().price(), request.market().atr(), request.entry(), request.stopLoss(),
                request.takeProfit(), z.riskPerTradePct(), verdict.riskMultiplier(), z.minRiskPct(),
                Math.min(z.maxRiskPct(), HardCaps.MAX_RISK_PER_TRADE), z.stopLossAtrMultiple(),
                z.takeProfitAtrMultiple(), z.targetRewardRisk(),
                profile.map(StrategyProfile::stopLossPct).orElse(java.util.OptionalDouble.empty()),
                profile.map(StrategyProfile::takeProfitPct).orElse(java.util.OptionalDouble.empty()), caps,
                protective, target);
        SizingResult byRisk = sizer.size(input.apply(Double.NaN));
        // the strategy's own sizer, else the policy's default one, else the ATR risk budget
        Optional<io.riskgate.policy.SizerSpec> spec = profile.flatMap(StrategyProfile::sizer)
                .or(() -> policy.sizing().sizer());
        if (spec.isEmpty()) {
            return byRisk;
        }
        // the strategy's own sizer (seed 004): a fraction of equity, with the governor's protective factors
        double fraction = fraction(policy, spec.get(), request, byRisk.rewardRisk(), book, realizedVolatility,
                !verdict.rejections().isEmpty());
        // the protective factors may lower the fraction, or raise it (a high win rate) but never past max_fraction
        return sizer.size(input.apply(Math.min(fraction * protective, spec.get().maxFraction()) * equity));
    }

    /** The fraction of equity a strategy's sizer gives this order; {@code refused}: a rule has rejected it. */
    private static double fraction(Policy policy, io.riskgate.policy.SizerSpec spec, CheckRequest request,
                                   double rewardRisk, AccountBook book, double realizedVolatility, boolean refused) {
        io.riskgate.sizing.FractionLimits limits = new io.riskgate.sizing.FractionLimits(spec.minFraction(),
                spec.maxFraction());
        io.riskgate.sizing.SizingSignals none = io.riskgate.sizing.SizingSignals.none();
        return switch (spec.method()) {
            case FIXED_FRACTION -> new io.riskgate.sizing.FixedFractionSizer(spec.baseFraction(), limits).size(none)
                    .value();
            case CONFIDENCE_WEIGHTED -> new io.riskgate.sizing.ConfidenceWeightedSizer(spec.baseFraction(), limits)
                    .size(none.withConfidence(spec.confidenceKey().equals("strength")
                            ? request.signal().strength().orElse(0) : request.signal().confidence())).value();
            case KELLY -> {
                var g = policy.governor();
                List<io.riskgate.portfolio.TradeResult> recent = book.recentResults();
                List<io.riskgate.portfolio.TradeResult> window = recent.subList(0,
                        Math.min(g.winRateWindowTrades(), recent.size()));
                if (window.size() < g.winRateMinTrades() || !(rewardRisk > 0)) {
                    yield spec.minFraction(); // too little history for an edge: the smallest allowed
                }
                double p = window.stream().filter(r -> r == io.riskgate.portfolio.TradeResult.WIN).count()
                        / (double) window.size();
                yield new io.riskgate.sizing.KellySizer(spec.kellyFraction(), limits)
                        .size(none.withEdge(p, rewardRisk)).value();
            }
            case VOLATILITY_ADJUSTED -> new io.riskgate.sizing.VolatilityAdjustedSizer(spec.baseFraction(),
                    spec.targetVolatility(), limits).size(none.withRealizedVolatility(realizedVolatility)).value();
            case REGIME_BASED -> {
                String regime = spec.regimeOf(request.market().regime());
                if (refused && !spec.mapsRegime(regime)) {
                    yield spec.minFraction(); // rejected (UNKNOWN_REGIME): the smallest allowed, for the record
                }
                // an unmapped regime no rule rejected throws here: the check fails closed (ENGINE_ERROR)
                yield new io.riskgate.sizing.RegimeSizer(spec.baseFraction(), spec.regimes(), limits)
                        .size(none.withRegime(regime)).value();
            }
        };
    }

    /**
     * The symbol's realized volatility (standard deviation of its returns over the analytics window) when its
     * strategy sizes by volatility; NaN otherwise. Too few returns go to {@code missing}.
     */
    private double realizedVolatility(Policy policy, CheckRequest request, Instant now, List<String> missing) {
        boolean needed = policy.strategy(request.strategy().orElse(null)).flatMap(StrategyProfile::sizer)
                .or(() -> policy.sizing().sizer())
                .filter(x -> x.method() == io.riskgate.policy.SizerSpec.Method.VOLATILITY_ADJUSTED).isPresent();
        if (!needed) {
            return Double.NaN;
        }
        var a = policy.analytics();
        double[] r = risk.market().alignedReturns(List.of(request.symbol()), a.barInterval(), a.returnsWindow(), now)
                .get(request.symbol());
        if (r.length < io.riskgate.risk.VarModel.MIN_OBSERVATIONS) {
            missing.add("the realized volatility its strategy sizes by: " + io.riskgate.risk.VarModel.MIN_OBSERVATIONS
                    + " returns of " + request.symbol() + " " + a.barInterval() + " needed, had " + r.length);
            return Double.NaN;
        }
        return new org.hipparchus.stat.descriptive.moment.StandardDeviation().evaluate(r);
    }

    private static Decision failed(String id, CompiledPolicy policy, CheckRequest request, Instant now,
                                   Throwable e) {
        Rejection r = new Rejection(ENGINE_ERROR, "engine", "the engine could not evaluate this order and "
                + "rejected it (fail closed): " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return Decision.unsized(id, Outcome.FAILED, request, r, policy == null ? null : ref(policy), now, null,
                String.valueOf(e));
    }

    static PolicyRef ref(CompiledPolicy p) {
        return new PolicyRef(p.id(), p.version(), p.sha256());
    }
}
