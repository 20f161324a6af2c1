package io.riskgate.check;

import io.riskgate.decision.AccountState;
import io.riskgate.decision.Decision;
import io.riskgate.decision.OrderAnalytics;
import io.riskgate.decision.Outcome;
import io.riskgate.decision.PolicyRef;
import io.riskgate.facts.Adjustment;
import io.riskgate.facts.OrderFacts;
import io.riskgate.facts.Rejection;
import io.riskgate.facts.SizedOrder;
import io.riskgate.facts.StrategyLimits;
import io.riskgate.facts.Verdict;
import io.riskgate.governor.GovernorEvaluator;
import io.riskgate.market.PortfolioRisk;
import io.riskgate.order.CheckRequest;
import io.riskgate.order.Market;
import io.riskgate.governor.KillSwitches;
import io.riskgate.policy.Controls;
import io.riskgate.policy.Governor;
import io.riskgate.policy.HardCaps;
import io.riskgate.policy.Policy;
import io.riskgate.policy.PortfolioLimits;
import io.riskgate.policy.SizerSpec;
import io.riskgate.policy.Sizing;
import io.riskgate.policy.StrategyProfile;
import io.riskgate.portfolio.AccountBook;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.FirmLedger;
import io.riskgate.portfolio.StopOuts;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.risk.VarModel;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleEvaluator;
import io.riskgate.sizing.AtrSizer;
import io.riskgate.sizing.Cap;
import io.riskgate.sizing.CapName;
import io.riskgate.sizing.ConfidenceWeightedSizer;
import io.riskgate.sizing.FixedFractionSizer;
import io.riskgate.sizing.FractionLimits;
import io.riskgate.sizing.KellySizer;
import io.riskgate.sizing.RegimeSizer;
import io.riskgate.sizing.SizingInput;
import io.riskgate.sizing.SizingResult;
import io.riskgate.sizing.SizingSignals;
import io.riskgate.sizing.VolatilityAdjustedSizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.hipparchus.stat.descriptive.moment.StandardDeviation;

/**
 * Deciding one order, writing nothing (market data is read through {@link PortfolioRisk}'s cache): the one path every consumer takes — live checks ({@link PreTradeEngine}, which
 * adds the account lock, the audit record and the reservation around it), scenario tests, what-if and replays.
 *
 * <pre>
 * governor     the account's governor at the event time: breakers, standing multipliers (an Update, not a write)
 * facts        equity known? indicators the order omits, from stored bars; correlation with open positions
 * rules 1      OrderFacts: gates reject, decision tables set multipliers and strategy limits
 * sizing       Java sizes from what phase 1 said: ATR risk budget or the strategy's fraction sizer, every cap
 * rules 2      SizedOrder: portfolio limits, heat and VaR judge the sized position
 * decision     approved only when no rule rejected and the quantity is positive
 * </pre>
 *
 * The same inputs always give the same decision: time comes from the event, never from a clock.
 */
public final class CheckPipeline {

    public static final String NO_EQUITY = "NO_EQUITY";
    public static final String ENGINE_ERROR = "ENGINE_ERROR";
    /**
     * The firm's kill switch refuses the order before anything else, in Java: it holds whatever rule files the
     * account's policy lists (docs/controls.md).
     */
    public static final String KILL_SWITCH = "KILL_SWITCH";
    public static final String INSUFFICIENT_MARKET_DATA = "INSUFFICIENT_MARKET_DATA";
    /** The code of the rule that judges whether a reduce-only order reduces (rules/controls.drl). */
    public static final String NOT_RISK_REDUCING = "NOT_RISK_REDUCING";

    private final PortfolioRisk risk;
    private final KillSwitches switches;
    private final FirmLedger firm;
    private final AtrSizer sizer = new AtrSizer();

    /** A preview's pipeline: no kill switches, and the firm is the one account previewed. */
    public CheckPipeline(PortfolioRisk risk) {
        this(risk, KillSwitches.NONE, FirmLedger.empty());
    }

    /**
     * A pipeline whose orders the firm's kill {@code switches} can halt and whose firm limits count every account
     * of {@code firm} (the live engine's).
     */
    public CheckPipeline(PortfolioRisk risk, KillSwitches switches, FirmLedger firm) {
        this.switches = switches;
        this.risk = risk;
        this.firm = firm;
    }

    public PortfolioRisk risk() {
        return risk;
    }

    /** What one order's pass through the pipeline gave: the governor's update and the decision taken under it. */
    public record Result(GovernorEvaluator.Update governor, Decision decision) {
    }

    /**
     * The governor on the account at {@code accountNow} (its spike measures from {@code spikes}), then the order
     * decided under the state the governor leaves. Nothing is written: the caller stores the update with the
     * decision. Scenario tests run this; the live check runs the two steps itself, so that a trip is stored even
     * when deciding the order then fails.
     *
     * @param now the order's event time; {@code accountNow} the account's clock (never behind its last event)
     */
    public Result run(String id, CompiledPolicy policy, CheckRequest request, AccountBook book, Instant now,
                      Instant accountNow, GovernorEvaluator.Spikes spikes) {
        GovernorEvaluator.Update governed = govern(policy, book, accountNow, spikes);
        return new Result(governed, decide(id, policy, request, book, governed.state(), now, accountNow));
    }

    /** The governor on the account at {@code accountNow}: its update, not applied to the book. */
    public GovernorEvaluator.Update govern(CompiledPolicy policy, AccountBook book, Instant accountNow,
                                           GovernorEvaluator.Spikes spikes) {
        return GovernorEvaluator.evaluate(policy, book.governor(), GovernorEvaluator.Input.of(book, accountNow, spikes));
    }

    /**
     * The order decided under a given governor state (what-if replays the state an audited decision recorded).
     * The book must be read under the account's lock, or be a preview book no one else holds.
     */
    public Decision decide(String id, CompiledPolicy compiled, CheckRequest checked, AccountBook book,
                           GovernorState governor, Instant now, Instant accountNow) {
        Policy policy = compiled.policy();
        PolicyRef ref = PolicyRef.of(compiled);
        String asset = policy.portfolio().assetOf(checked.symbol());
        Optional<EquitySnapshot> snapshot = book.equity();
        AccountState state = new AccountState(snapshot.map(EquitySnapshot::equity).orElse(null),
                snapshot.map(EquitySnapshot::observedAt).orElse(null), book.positions().size(),
                book.reservations().size(), book.exposure(), book.assetExposure(asset),
                checked.strategy().map(book::strategyExposure).orElse(null), accountNow);
        if (checked.reduceOnly()) {
            return reducing(id, compiled, checked, book, asset, governor, state, now, accountNow);
        }
        Optional<KillSwitches.Switch> halt = switches.halting(checked.strategy().orElse(null));
        if (halt.isPresent()) {
            KillSwitches.Switch s = halt.get();
            return Decision.unsized(id, Outcome.REJECTED, checked, new Rejection(KILL_SWITCH, "engine",
                    "the firm's kill switch " + s.scope() + " was tripped at " + s.trippedAt() + " by " + s.actor()
                            + " (" + s.reason() + "): new orders " + (s.scope().equals("ALL") ? "on every account"
                            : "of this strategy") + " are refused until an officer resets it"), ref, now, state, null);
        }
        Optional<Double> positiveEquity = snapshot.map(EquitySnapshot::equity).filter(e -> e > 0);
        if (positiveEquity.isEmpty()) {
            return Decision.unsized(id, Outcome.REJECTED, checked, new Rejection(NO_EQUITY, "engine",
                    "no positive equity is known for account '" + checked.account() + "': send equity with the "
                            + "check or PUT /api/v1/accounts/" + checked.account() + "/equity"), ref, now, state, null);
        }
        double equity = positiveEquity.get();

        // the ATR and EMA a check omits come from stored bars; too few bars rejects (fail closed), never a 0
        Map<String, Double> computed = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        CheckRequest order = withIndicators(policy, checked, now, computed, missing);
        if (!missing.isEmpty()) {
            return Decision.unsized(id, Outcome.REJECTED, order, new Rejection(INSUFFICIENT_MARKET_DATA, "engine",
                    "the check omits " + String.join(" and ", missing) + ": send them, or post enough bars to "
                            + "/api/v1/market/bars"), ref, now, state, null);
        }
        // the strategy's own sizer, else the policy's default one, else none (the ATR risk budget)
        Optional<StrategyProfile> profile = policy.strategy(order.strategy().orElse(null));
        Optional<SizerSpec> spec = policy.sizerFor(order.strategy().orElse(null));
        double volatility = realizedVolatility(policy, spec, order, now, missing);
        if (!missing.isEmpty()) {
            return Decision.unsized(id, Outcome.REJECTED, order, new Rejection(INSUFFICIENT_MARKET_DATA, "engine",
                    "the order cannot be sized without " + missing.get(0) + ": post enough bars to "
                            + "/api/v1/market/bars"), ref, now, state, null);
        }

        Verdict verdict = new Verdict();
        OrderFacts facts = new OrderFacts(policy, order, asset, book.positions().size(), book.reservations().size(),
                now, verdict, governor);
        PortfolioRisk.CorrelationCheck correlation = risk.correlation(policy.analytics(), policy.portfolio(),
                order.symbol(), order.side(), book.positions(), now);
        facts.correlation(correlation);
        marketAccess(policy, facts, order, book, now, accountNow);
        Controls controls = policy.controls();
        if (controls.guards().any()) {
            List<StopOuts.Lock> locks = book.stopOuts().locks(controls.guards(), accountNow);
            facts.locks(StopOuts.locking(locks, order.symbol(), StopOuts.COOLDOWN).orElse(null),
                    StopOuts.locking(locks, order.symbol(), StopOuts.GUARD).orElse(null));
        }
        // the risk the account's orders approved in its governor day put at their stops, and the rest of the firm
        Budgets budgets = new Budgets(book.recentChecks().riskSince(governor.dayStart()),
                controls.dailyRiskBudget().map(b -> b.maxPct() * equity).orElse(Double.NaN),
                controls.firm().any() ? firm.others(order.account()) : new FirmLedger.Others(0, 0), book.exposure());
        SizedOrder sized;
        try (RuleEvaluator.Session rules = RuleEvaluator.open(compiled, verdict)) {
            rules.fire(facts);
            SizingResult s = size(policy, profile, spec, order, verdict, book, asset, equity, volatility, budgets);
            sized = new SizedOrder(facts, s, policy.sizing().minPositionUsd(), policy.sizing().minRewardRisk(), equity,
                    verdict).exposure(risk.exposure(policy.analytics(), order.symbol(), order.side(), s.quantity(),
                    s.entry(), s.riskAtStop(), book, equity, now))
                    .budgets(budgets.used(), budgets.budget(), budgets.firm().dailyRisk() + budgets.used(),
                            budgets.firm().grossExposure() + budgets.exposure());
            if (order.clientOrderId().isEmpty() && controls.duplicateWindow().isPresent()) {
                sized.duplicateOf(book.recentChecks().sameOrder(order.symbol(), order.side(),
                        order.strategy().orElse(null), s.quantity(), accountNow, controls.duplicateWindow().get())
                        .orElse(null));
            }
            rules.fire(sized);
        }
        if (controls.dailyRiskBudget().isPresent() && (budgets.used() > 0
                || sized.sizing().bindingCap().equals(CapName.DAILY_RISK_BUDGET.name()))) {
            verdict.add(budgets.adjustment(sized.sizing())); // what the budget used and left, once it is in use
        }

        SizingResult s = sized.sizing();
        PortfolioRisk.ExposureCheck x = sized.exposure();
        OrderAnalytics analytics = new OrderAnalytics(computed.isEmpty() ? null : computed, correlation.max(),
                correlation.with(), correlation.unmeasured().isEmpty() ? null : correlation.unmeasured(),
                x.heatPct(), x.varPct(), x.varMethod(), x.observations(), x.varNote());
        boolean approved = verdict.rejections().isEmpty() && s.quantity() > 0;
        if (verdict.rejections().isEmpty() && !approved) {
            throw new IllegalStateException("no rule rejected, yet the sized quantity is " + s.quantity());
        }
        return new Decision(id, approved ? Outcome.APPROVED : Outcome.REJECTED, approved, order.account(),
                order.symbol(), order.side(), order.strategy().orElse(null), order.clientOrderId().orElse(null),
                approved ? s.quantity() : 0, approved ? s.notional() : 0, s.entry(), s.stopLoss(), s.takeProfit(),
                s.riskAmount(), s.riskPct(), equity, s.rewardRisk(), verdict.rejections(), verdict.adjustments(),
                verdict.fired().stream().map(f -> f.name()).toList(), verdict.fired(), ref, now,
                approved ? accountNow.plus(policy.portfolio().reservationTtl()) : null, state, s, null, analytics,
                null);
    }

    /**
     * What the market-access controls every order meets read: the order-rate throttle's counts, riskgate's reference
     * price for the collar, and how far the order's market data lies behind the account's clock.
     */
    private void marketAccess(Policy policy, OrderFacts facts, CheckRequest order, AccountBook book, Instant now,
                              Instant accountNow) {
        // the order-rate throttle counts the checks decided in each window before this one's event time
        Controls.OrderRate rate = policy.controls().orderRate();
        // both at the account's clock, which never runs backwards: an order backdated by its caller is counted,
        // and judged against the latest reference, as at the latest time the account has seen
        facts.orderRate(rate.perAccount().map(r -> book.recentChecks().inWindow(accountNow, r.window())).orElse(0),
                rate.perStrategy().map(r -> book.recentChecks().inWindow(accountNow, r.window(),
                        order.strategy().orElse(null))).orElse(0));
        if (policy.controls().priceCollar().isPresent()) {
            facts.reference(risk.market().reference(order.symbol(), policy.analytics().barInterval(), accountNow)
                    .orElse(null), accountNow);
        }
        // how far the order's market data lies behind what the account has already seen (never negative)
        facts.marketDataAge(accountNow.isAfter(now) ? Duration.between(now, accountNow) : Duration.ZERO);
    }

    /**
     * A reduce-only order (docs/controls.md; the FIA's "block risk-increasing, allow risk-reducing"): judged by the
     * market-access rules alone (category {@code controls}: throttle, collar, stale data, its size, and whether it
     * reduces), not by the gates or the governor's breakers, and not by the kill switch, which stops new risk. It
     * reduces when it is the opposite side of open positions on its symbol and its quantity is at most theirs.
     * Approved for the caller's quantity at the market price, with no levels, no risk and no reservation.
     */
    private Decision reducing(String id, CompiledPolicy compiled, CheckRequest order, AccountBook book, String asset,
                              GovernorState governor, AccountState state, Instant now, Instant accountNow) {
        Policy policy = compiled.policy();
        if (compiled.rules().stream().noneMatch(r -> r.code().equals(NOT_RISK_REDUCING))) {
            // fail closed: without the rule that judges whether it reduces, nothing would stop it adding risk
            return Decision.unsized(id, Outcome.REJECTED, order, new Rejection(NOT_RISK_REDUCING, "engine",
                    "policy " + compiled.policy().id() + " does not list rules/controls.drl, whose rules judge "
                            + "reduce-only orders: refused"), PolicyRef.of(compiled), now, state, null);
        }
        Verdict verdict = new Verdict();
        OrderFacts facts = new OrderFacts(policy, order, asset, book.positions().size(), book.reservations().size(),
                now, verdict, governor);
        double reducible = 0;
        for (var p : book.positions()) {
            if (p.symbol().equalsIgnoreCase(order.symbol()) && p.side() != order.side()) {
                reducible += p.quantity();
            }
        }
        // less what reduce-only orders approved before it still hold: each may reduce only what is left
        facts.reducing(Math.max(0, reducible - book.recentChecks().pendingReduction(order.symbol(), order.side(),
                accountNow)));
        marketAccess(policy, facts, order, book, now, accountNow);
        try (RuleEvaluator.Session rules = RuleEvaluator.open(compiled, verdict)) {
            rules.fire(List.of(facts), "controls");
        }
        boolean approved = verdict.rejections().isEmpty();
        double quantity = order.quantity().orElseThrow();
        double price = order.market().price();
        return new Decision(id, approved ? Outcome.APPROVED : Outcome.REJECTED, approved, order.account(),
                order.symbol(), order.side(), order.strategy().orElse(null), order.clientOrderId().orElse(null),
                approved ? quantity : 0, approved ? quantity * price : 0, price, null, null, 0.0, 0.0,
                book.equity().map(EquitySnapshot::equity).orElse(null), null, verdict.rejections(),
                verdict.adjustments(), verdict.fired().stream().map(f -> f.name()).toList(), verdict.fired(),
                PolicyRef.of(compiled), now, null, state, null, null, null, Boolean.TRUE);
    }

    /** The decision of an order the engine could not evaluate: rejected, never approved by default. */
    public static Decision failed(String id, CompiledPolicy policy, CheckRequest request, Instant now, Throwable e) {
        Rejection r = new Rejection(ENGINE_ERROR, "engine", "the engine could not evaluate this order and "
                + "rejected it (fail closed): " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return Decision.unsized(id, Outcome.FAILED, request, r, policy == null ? null : PolicyRef.of(policy), now, null,
                String.valueOf(e));
    }

    /**
     * Fills in the ATR and EMA the check omitted, computed from the bars closed by {@code now}; what was computed
     * goes to {@code computed}, what could not be (and why) to {@code missing}.
     */
    private CheckRequest withIndicators(Policy policy, CheckRequest request, Instant now, Map<String, Double> computed,
                                        List<String> missing) {
        Market m = request.market();
        if (m.atrGiven() && m.ema200Given()) {
            return request;
        }
        String interval = policy.analytics().barInterval();
        var series = risk.market().closedBy(request.symbol(), interval, now);
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

    /**
     * The symbol's realized volatility (standard deviation of its returns over the analytics window) when the
     * order's sizer sizes by volatility; NaN otherwise. Too few returns go to {@code missing}.
     */
    private double realizedVolatility(Policy policy, Optional<SizerSpec> spec, CheckRequest request, Instant now,
                                      List<String> missing) {
        if (spec.filter(x -> x.method() == SizerSpec.Method.VOLATILITY_ADJUSTED).isEmpty()) {
            return Double.NaN;
        }
        var a = policy.analytics();
        double[] r = risk.market().alignedReturns(List.of(request.symbol()), a.barInterval(), a.returnsWindow(), now)
                .get(request.symbol());
        if (r.length < VarModel.MIN_OBSERVATIONS) {
            missing.add("the realized volatility its strategy sizes by: " + VarModel.MIN_OBSERVATIONS
                    + " returns of " + request.symbol() + " " + a.barInterval() + " needed, had " + r.length);
            return Double.NaN;
        }
        return new StandardDeviation().evaluate(r);
    }

    /**
     * What the daily risk budgets and the firm limits leave an order: {@code used} the risk at the stop of the
     * account's orders approved in its governor day, {@code budget} its daily budget (NaN: none), {@code firm} the
     * other accounts' totals, {@code exposure} the account's own gross exposure.
     */
    record Budgets(double used, double budget, FirmLedger.Others firm, double exposure) {

        /** The budget used and left, as an adjustment the decision reports (factor: the share of the risk that fit). */
        Adjustment adjustment(SizingResult s) {
            double left = budget - used;
            double factor = s.riskAmount() > 0 ? Math.max(0, Math.min(1, left / s.riskAmount())) : 1;
            return new Adjustment("controls.daily_risk_budget", "DAILY_RISK_BUDGET", factor, "daily risk used "
                    + money(used) + " of " + money(budget) + " (controls.daily_risk_budget.max_pct of equity), left "
                    + money(Math.max(0, left)) + "; this order risks " + money(s.riskAtStop()) + " at its stop",
                    Adjustment.BUDGET);
        }

        private static String money(double v) {
            return java.math.BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
        }
    }

    /** Sizes the order from what the first rule phase said, within every cap and headroom. */
    private SizingResult size(Policy policy, Optional<StrategyProfile> profile, Optional<SizerSpec> spec,
                              CheckRequest request, Verdict verdict, AccountBook book, String asset, double equity,
                              double realizedVolatility, Budgets budgets) {
        Sizing z = policy.sizing();
        PortfolioLimits limits = policy.portfolio();
        List<Cap> caps = new ArrayList<>();
        caps.add(new Cap(CapName.MAX_POSITION_USD, z.maxPositionUsd()));
        caps.add(new Cap(CapName.MAX_LEVERAGE, z.maxLeverage() * equity));
        caps.add(new Cap(CapName.MAX_EXPOSURE, limits.maxExposurePct() * equity - book.exposure()));
        caps.add(new Cap(CapName.ASSET_CONCENTRATION, limits.maxAssetConcentrationPct() * equity
                - book.assetExposure(asset)));
        // market-access controls: the symbol's largest order, in base units and in account currency
        Controls.Limit orderLimit = policy.controls().orderSize().limitFor(request.symbol());
        orderLimit.maxQuantity().ifPresent(q -> caps.add(new Cap(CapName.ORDER_MAX_QUANTITY,
                decimalProduct(q, request.entryPrice()))));
        orderLimit.maxNotional().ifPresent(n -> caps.add(new Cap(CapName.ORDER_MAX_NOTIONAL, n)));
        // firm-wide limits over every account, and the daily risk budgets (caps on the amount at the stop)
        Controls.Firm firmLimits = policy.controls().firm();
        firmLimits.maxGrossExposure().ifPresent(max -> caps.add(new Cap(CapName.FIRM_GROSS_EXPOSURE,
                max - budgets.firm().grossExposure() - budgets.exposure())));
        List<Cap> riskCaps = new ArrayList<>();
        if (!Double.isNaN(budgets.budget())) {
            riskCaps.add(new Cap(CapName.DAILY_RISK_BUDGET, budgets.budget() - budgets.used()));
        }
        firmLimits.maxDailyRisk().ifPresent(max -> riskCaps.add(new Cap(CapName.FIRM_DAILY_RISK,
                max - budgets.firm().dailyRisk() - budgets.used())));
        // limits apply to declared strategies only; an undeclared one is rejected (UNKNOWN_STRATEGY) anyway
        List<StrategyLimits> strategyLimits = profile.isPresent() ? verdict.strategyLimits() : List.of();
        if (strategyLimits.size() > 1) {
            throw new IllegalStateException("several per-strategy rows matched: " + strategyLimits);
        }
        for (StrategyLimits l : strategyLimits) {
            caps.add(new Cap(CapName.STRATEGY_MAX_POSITION, l.maxPositionPct() * equity
                    - book.strategyExposure(request.strategy().orElse(null))));
            if (!Double.isNaN(l.maxLeverage())) {
                caps.add(new Cap(CapName.STRATEGY_MAX_LEVERAGE, l.maxLeverage() * equity));
            }
        }
        double protective = verdict.protectiveMultiplier(policy.governor().multipliers().dynamicCombine());
        SizingInput.Order order = new SizingInput.Order(request.side().sign(), request.market().price(),
                request.market().atr(), request.entry(), request.stopLoss(), request.takeProfit());
        SizingInput.Risk budget = new SizingInput.Risk(equity, z.riskPerTradePct(), verdict.riskMultiplier(),
                z.minRiskPct(), Math.min(z.maxRiskPct(), HardCaps.MAX_RISK_PER_TRADE), protective);
        SizingInput.Levels levels = new SizingInput.Levels(z.stopLossAtrMultiple(), z.takeProfitAtrMultiple(),
                z.targetRewardRisk(), profile.map(StrategyProfile::stopLossPct).orElse(OptionalDouble.empty()),
                profile.map(StrategyProfile::takeProfitPct).orElse(OptionalDouble.empty()));
        SizingResult byRisk = sizer.size(new SizingInput(order, budget, levels, caps, Double.NaN, riskCaps));
        if (spec.isEmpty()) {
            return byRisk;
        }
        // a fraction sizer (seed 004), with the governor's protective factors: they may lower the fraction, or
        // raise it (a high win rate), but never past max_fraction
        double fraction = fraction(policy, spec.get(), request, byRisk.rewardRisk(), book, realizedVolatility,
                !verdict.rejections().isEmpty());
        double target = Math.min(fraction * protective, spec.get().maxFraction()) * equity;
        return sizer.size(new SizingInput(order, budget, levels, caps, target, riskCaps));
    }

    /**
     * {@code a x b} as the decimal product of the two numbers as written, so that a quantity limit turned into a
     * notional turns back into exactly that quantity (1e7 x 0.00001 is 100, not 99.99999999999999).
     */
    static double decimalProduct(double a, double b) {
        return new java.math.BigDecimal(Double.toString(a)).multiply(new java.math.BigDecimal(Double.toString(b)))
                .doubleValue();
    }

    /** The fraction of equity a strategy's sizer gives this order; {@code refused}: a rule has rejected it. */
    private static double fraction(Policy policy, SizerSpec spec, CheckRequest request, double rewardRisk,
                                   AccountBook book, double realizedVolatility, boolean refused) {
        FractionLimits limits = new FractionLimits(spec.minFraction(), spec.maxFraction());
        SizingSignals none = SizingSignals.none();
        return switch (spec.method()) {
            case FIXED_FRACTION -> new FixedFractionSizer(spec.baseFraction(), limits).size(none).value();
            case CONFIDENCE_WEIGHTED -> new ConfidenceWeightedSizer(spec.baseFraction(), limits)
                    .size(none.withConfidence(spec.confidenceKey().equals("strength")
                            ? request.signal().strength().orElse(0) : request.signal().confidence())).value();
            case KELLY -> {
                Governor.WinRate w = policy.governor().multipliers().winRate();
                List<TradeResult> window = TradeResult.newest(book.recentResults(), w.windowTrades());
                if (window.size() < w.minTrades() || !(rewardRisk > 0)) {
                    yield spec.minFraction(); // too little history for an edge: the smallest allowed
                }
                yield new KellySizer(spec.kellyFraction(), limits)
                        .size(none.withEdge(TradeResult.winRate(window), rewardRisk)).value();
            }
            case VOLATILITY_ADJUSTED -> new VolatilityAdjustedSizer(spec.baseFraction(), spec.targetVolatility(),
                    limits).size(none.withRealizedVolatility(realizedVolatility)).value();
            case REGIME_BASED -> {
                String regime = spec.regimeOf(request.market().regime());
                if (refused && !spec.mapsRegime(regime)) {
                    yield spec.minFraction(); // rejected (UNKNOWN_REGIME): the smallest allowed, for the record
                }
                // an unmapped regime no rule rejected throws here: the check fails closed (ENGINE_ERROR)
                yield new RegimeSizer(spec.baseFraction(), spec.regimes(), limits).size(none.withRegime(regime))
                        .value();
            }
        };
    }
}
