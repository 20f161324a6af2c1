package io.riskgate.facts;

import io.riskgate.order.CheckRequest;
import io.riskgate.policy.Consensus;
import io.riskgate.policy.Filters;
import io.riskgate.policy.Governor;
import io.riskgate.policy.Policy;
import io.riskgate.policy.Side;
import io.riskgate.policy.SizerSpec;
import java.time.Instant;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The one flat fact the pre-sizing rules match: the order, its signal and market, the account's open slots, and
 * the policy thresholds, all reachable from a single pattern ({@code OrderFacts(confidence < minConfidence)}).
 * Keeping it flat keeps evaluation in the microseconds (see docs/performance.md); thresholds are read from the
 * policy, never written into the DRL.
 */
public final class OrderFacts {

    private final Policy policy;
    private final Filters filters;
    private final CheckRequest request;
    private final String asset;
    private final int openTrades;
    private final int reservedTrades;
    private final Instant timestamp;
    private final Verdict verdict;
    private final io.riskgate.portfolio.GovernorState governor;
    /** The order's sizer when it sizes by market regime; null otherwise. */
    private final SizerSpec regimeSizer;
    private io.riskgate.market.PortfolioRisk.CorrelationCheck correlation =
            io.riskgate.market.PortfolioRisk.CorrelationCheck.NONE;

    public OrderFacts(Policy policy, CheckRequest request, String asset, int openTrades, int reservedTrades,
                      Instant timestamp, Verdict verdict) {
        this(policy, request, asset, openTrades, reservedTrades, timestamp, verdict,
                io.riskgate.portfolio.GovernorState.initial());
    }

    /** @param governor the account's governor state as the check found it (trading state, standing multipliers) */
    public OrderFacts(Policy policy, CheckRequest request, String asset, int openTrades, int reservedTrades,
                      Instant timestamp, Verdict verdict, io.riskgate.portfolio.GovernorState governor) {
        this.governor = governor;
        this.policy = policy;
        this.filters = policy.filters();
        this.request = request;
        this.asset = asset;
        this.openTrades = openTrades;
        this.reservedTrades = reservedTrades;
        this.timestamp = timestamp;
        this.verdict = verdict;
        this.regimeSizer = policy.sizerFor(request.strategy().orElse(null))
                .filter(z -> z.method() == SizerSpec.Method.REGIME_BASED).orElse(null);
    }

    // ---- the order ----
    public String getAccount() { return request.account(); }
    public String getSymbol() { return request.symbol(); }
    public String getAsset() { return asset; }
    public Side getSide() { return request.side(); }
    public boolean isLong() { return request.side() == Side.LONG; }
    public boolean isShort() { return request.side() == Side.SHORT; }
    /** The strategy name, or null when the order names none. */
    public String getStrategy() { return request.strategy().orElse(null); }
    /** True when the order names a strategy the policy declares. */
    public boolean isStrategyKnown() { return request.strategy().map(policy.strategies()::containsKey).orElse(false); }
    public Instant getTimestamp() { return timestamp; }

    // ---- the signal ----
    public Consensus getConsensus() { return request.signal().consensus(); }
    public double getConfidence() { return request.signal().confidence(); }
    public double getStrength() { return request.signal().strength().orElse(Double.NaN); }

    // ---- the market ----
    public double getPrice() { return request.market().price(); }
    /** The entry the order is sized at: the caller's, else the market price. */
    public double getEntry() { return request.entryPrice(); }
    /** |entry - price| / price: 0 when the caller sends no entry. */
    public double getEntryDeviation() { return Math.abs(request.entryPrice() - getPrice()) / getPrice(); }
    public double getAtr() { return request.market().atr(); }
    public double getEma200() { return request.market().ema200(); }
    public double getVolume24h() { return request.market().volume24h(); }
    public double getSpreadBps() { return request.market().spreadBps(); }
    /** ATR / price: seed 001's example 1500 / 50000 = 0.03. */
    public double getAtrRatio() { return request.market().atr() / request.market().price(); }
    /** ATR/price strictly above the policy's high-volatility ratio. */
    public boolean isHighVolatility() { return getAtrRatio() > filters.highVolatilityAtrRatio(); }

    // ---- the market regime (seed 003's regime_based sizing) ----
    /** True when the order's sizer (its strategy's, else the policy's) sizes by market regime. */
    public boolean isRegimeSized() { return regimeSizer != null; }
    /**
     * The regime the order is sized in: its {@code market.regime}, else its sizer's {@code default_regime}; null
     * when its sizer does not size by regime (the order's regime is then ignored).
     */
    public String getRegime() { return regimeSizer == null ? null : regimeSizer.regimeOf(request.market().regime()); }
    /** True when the order's regime sizer has a factor for its regime; false when it has none or no regime sizer. */
    public boolean isRegimeMapped() { return regimeSizer != null && regimeSizer.mapsRegime(getRegime()); }
    /** The regimes the order's sizer maps, e.g. {@code {bullish=1.2, normal=1.0, bearish=0.5}}; empty without one. */
    public String getMappedRegimes() { return regimeSizer == null ? "{}" : regimeSizer.regimes().toString(); }

    // ---- the account ----
    /** Open positions plus approved-but-unfilled reservations: each holds a trade slot. */
    public int getOpenTrades() { return openTrades + reservedTrades; }
    public int getOpenPositions() { return openTrades; }
    public int getReservedTrades() { return reservedTrades; }

    // ---- policy thresholds ----
    public boolean isConsensusAccepted() { return filters.acceptedConsensus().contains(getConsensus()); }
    public String getAcceptedConsensus() { return filters.acceptedConsensus().toString(); }
    public double getMinConfidence() { return filters.minConfidence(); }
    public boolean isRequireTrend() { return filters.requireTrend(); }
    public boolean isVolatilityGate() { return filters.volatilityGate(); }
    public double getMaxAtrRatio() { return filters.maxAtrRatio(); }
    public double getHighVolatilityAtrRatio() { return filters.highVolatilityAtrRatio(); }
    public double getHighVolatilityMinConfidence() { return filters.highVolatilityMinConfidence(); }
    public double getMinVolume24h() { return filters.minVolume24h(); }
    public double getMaxSpreadBps() { return filters.maxSpreadBps(); }
    public double getMaxEntryDeviationPct() { return filters.maxEntryDeviationPct(); }
    public boolean isSignalQualityAdjustment() { return policy.sizing().signalQualityAdjustment(); }
    public int getMaxConcurrentTrades() { return policy.portfolio().maxConcurrentTrades(); }
    /** The policy's market-access controls. */
    public io.riskgate.policy.Controls controls() { return policy.controls(); }
    /** The order-size control's limit for this order's symbol (controls.order_size). */
    public io.riskgate.policy.Controls.Limit orderSizeLimit() {
        return policy.controls().orderSize().limitFor(getSymbol());
    }

    // ---- the governor ----
    public io.riskgate.portfolio.TradingState getTradingState() { return governor.state(); }
    public boolean isAccountActive() { return governor.state() == io.riskgate.portfolio.TradingState.ACTIVE; }
    /** True when the governor holds standing multipliers for the account. */
    public boolean isGovernorMultipliers() { return !governor.multipliers().isEmpty(); }
    public double getGovernorHighVolatilityAtrRatio() { return volatility().atrRatioAbove(); }
    public double getGovernorLowVolatilityAtrRatio() { return volatility().atrRatioBelow(); }
    private Governor.Volatility volatility() { return policy.governor().multipliers().volatility(); }

    // ---- analytics (measured from stored bars before the rules run) ----
    /** Sets what the correlation gate judges; call before inserting the fact. */
    public void correlation(io.riskgate.market.PortfolioRisk.CorrelationCheck c) { this.correlation = c; }
    public io.riskgate.market.PortfolioRisk.CorrelationCheck correlation() { return correlation; }
    public boolean isCorrelationMeasured() { return correlation.max() != null; }
    /** The highest direction-adjusted correlation with an open position of another asset; NaN when none measured. */
    public double getMaxCorrelation() { return correlation.max() == null ? Double.NaN : correlation.max(); }
    public String getCorrelatedWith() { return correlation.with(); }
    /** Some open position's correlation with this order could not be measured (too few bars). */
    public boolean isCorrelationMissing() { return !correlation.unmeasured().isEmpty(); }
    public String getCorrelationMissingReasons() { return String.join("; ", correlation.unmeasured()); }
    public double getMaxCorrelationLimit() { return policy.analytics().maxCorrelation(); }
    public double getMaxPortfolioHeatPct() { return policy.analytics().maxPortfolioHeatPct(); }
    public double getMaxVarPct() { return policy.analytics().maxVarPct(); }
    /** analytics.missing_data: reject. */
    public boolean isMissingDataRejects() { return policy.analytics().missingDataRejects(); }

    // ---- market-access controls: the order-rate throttle (checks decided in the window before this one) ----
    private int accountChecks;
    private int strategyChecks;

    /** Sets the checks the account, and the order's strategy on it, had decided in their windows; before inserting. */
    public void orderRate(int accountChecks, int strategyChecks) {
        this.accountChecks = accountChecks;
        this.strategyChecks = strategyChecks;
    }

    private java.util.Optional<io.riskgate.policy.Controls.Rate> accountRate() {
        return policy.controls().orderRate().perAccount();
    }

    private java.util.Optional<io.riskgate.policy.Controls.Rate> strategyRate() {
        return policy.controls().orderRate().perStrategy().filter(r -> getStrategy() != null);
    }

    /** controls.order_rate.per_account is set. */
    public boolean isAccountThrottled() { return accountRate().isPresent(); }
    public int getAccountChecksInWindow() { return accountChecks; }
    public int getMaxAccountChecks() { return accountRate().map(io.riskgate.policy.Controls.Rate::maxChecks).orElse(0); }
    public String getAccountWindow() { return accountRate().map(r -> r.window().toString()).orElse(""); }
    /** controls.order_rate.per_strategy is set and the order names a strategy. */
    public boolean isStrategyThrottled() { return strategyRate().isPresent(); }
    public int getStrategyChecksInWindow() { return strategyChecks; }
    public int getMaxStrategyChecks() { return strategyRate().map(io.riskgate.policy.Controls.Rate::maxChecks).orElse(0); }
    public String getStrategyWindow() { return strategyRate().map(r -> r.window().toString()).orElse(""); }

    // ---- market-access controls: the price collar against riskgate's own reference ----
    private io.riskgate.market.MarketData.Reference reference;
    private Instant referenceAsOf;

    /**
     * Sets riskgate's reference price for the order's symbol as known at {@code asOf} (the account's clock, which
     * never runs backwards; null reference: none); before inserting.
     */
    public void reference(io.riskgate.market.MarketData.Reference r, Instant asOf) {
        this.reference = r;
        this.referenceAsOf = asOf;
    }
    private java.util.Optional<io.riskgate.policy.Controls.PriceCollar> collar() { return policy.controls().priceCollar(); }
    /** controls.price_collar is set. */
    public boolean isCollared() { return collar().isPresent(); }
    public boolean isReferenceKnown() { return reference != null; }
    public double getReferencePrice() { return reference == null ? Double.NaN : reference.price(); }
    public String getReferenceSource() { return reference == null ? "" : reference.source(); }
    public Instant getReferenceAt() { return reference == null ? null : reference.at(); }
    /** How old the reference is at the order's event time, e.g. PT2H. */
    public String getReferenceAge() {
        return reference == null ? "" : java.time.Duration.between(reference.at(), referenceAsOf).toString();
    }
    /** The reference is older than controls.price_collar.max_reference_age. */
    public boolean isReferenceStale() {
        return reference != null && collar().isPresent()
                && java.time.Duration.between(reference.at(), referenceAsOf).compareTo(collar().get().maxReferenceAge())
                > 0;
    }
    public String getMaxReferenceAge() { return collar().map(c -> c.maxReferenceAge().toString()).orElse(""); }
    /** |price - reference| / reference. */
    public double getPriceDeviation() {
        return reference == null ? Double.NaN : Math.abs(getPrice() - reference.price()) / reference.price();
    }
    public double getMaxPriceDeviation() { return collar().map(io.riskgate.policy.Controls.PriceCollar::maxDeviationPct).orElse(Double.NaN); }
    /** controls.price_collar.missing_reference: reject. */
    public boolean isRejectWithoutReference() {
        return collar().map(io.riskgate.policy.Controls.PriceCollar::rejectWithoutReference).orElse(false);
    }

    // ---- market-access controls: stale market data, locks after stop-outs ----
    private java.time.Duration marketDataAge = java.time.Duration.ZERO;
    private io.riskgate.portfolio.StopOuts.Lock cooldownLock;
    private io.riskgate.portfolio.StopOuts.Lock guardLock;

    /**
     * Sets how far the order's event time (its market.timestamp) lies behind the account's clock, the latest event
     * time riskgate has seen for the account; before inserting.
     */
    public void marketDataAge(java.time.Duration age) {
        this.marketDataAge = age;
    }

    /** controls.market_data.max_age is set. */
    public boolean isMarketDataAgeLimited() { return policy.controls().maxMarketDataAge().isPresent(); }
    public long getMarketDataAgeMillis() { return marketDataAge.toMillis(); }
    public String getMarketDataAge() { return marketDataAge.toString(); }
    public long getMaxMarketDataAgeMillis() {
        return policy.controls().maxMarketDataAge().map(java.time.Duration::toMillis).orElse(Long.MAX_VALUE);
    }
    public String getMaxMarketDataAge() {
        return policy.controls().maxMarketDataAge().map(java.time.Duration::toString).orElse("");
    }

    /** Sets the locks in force on the order's symbol (null: none of that kind); before inserting. */
    public void locks(io.riskgate.portfolio.StopOuts.Lock cooldown, io.riskgate.portfolio.StopOuts.Lock guard) {
        this.cooldownLock = cooldown;
        this.guardLock = guard;
    }

    /** The cooldown after a stop-out holding the order's symbol, or null. */
    public io.riskgate.portfolio.StopOuts.Lock getCooldownLock() { return cooldownLock; }
    /** The stop-loss guard's lock holding the order's symbol (or the whole account), or null. */
    public io.riskgate.portfolio.StopOuts.Lock getGuardLock() { return guardLock; }

    // ---- market-access controls: reduce-only orders ----
    private double reducible;

    /** Sets the open quantity on the order's symbol on the other side: what a reduce-only order may reduce. */
    public void reducing(double openOppositeQuantity) {
        this.reducible = openOppositeQuantity;
    }

    /** The order only reduces an open position (reduceOnly): judged by the controls alone. */
    public boolean isReduceOnly() { return request.reduceOnly(); }
    /** A reduce-only order's quantity; 0 for other orders (riskgate sizes them). */
    public double getReduceQuantity() { return request.quantity().orElse(0); }
    /** The open quantity on the order's symbol on the other side. */
    public double getReducibleQuantity() { return reducible; }
    /** The side a reduce-only order reduces: the opposite of its own. */
    public Side getReducedSide() { return request.side() == Side.LONG ? Side.SHORT : Side.LONG; }
    /** A reduce-only quantity, or its notional at the market price, above the symbol's order-size limit. */
    public boolean isReduceQuantityAboveLimit() {
        var limit = orderSizeLimit();
        double q = getReduceQuantity();
        return limit.maxQuantity().isPresent() && q > limit.maxQuantity().getAsDouble()
                || limit.maxNotional().isPresent() && q * getPrice() > limit.maxNotional().getAsDouble();
    }

    // ---- what rules may say ----
    public void reject(RuleContext ctx, String message) { verdict.reject(ctx, message); }
    public void adjust(RuleContext ctx, double factor, String reason) { verdict.adjust(ctx, factor, reason); }
    /** Adjusts risk with the rule's name as the reason (decision-table rows). */
    public void adjust(RuleContext ctx, double factor) { verdict.adjust(ctx, factor, ctx.getRule().getName()); }
    public void limitStrategy(RuleContext ctx, double maxPositionPct) { verdict.limitStrategy(ctx, maxPositionPct); }
    public void limitStrategyLeverage(RuleContext ctx, double maxLeverage) {
        verdict.limitStrategyLeverage(ctx, maxLeverage);
    }

    /** Rejects with the code of each breaker holding the account (DAILY_LOSS_LIMIT, ...), saying since and until. */
    public void rejectForBreakers(RuleContext ctx) {
        for (io.riskgate.portfolio.ActiveBreaker b : governor.breakers()) {
            verdict.rejectAs(ctx, b.code(), "account is " + governor.state() + ": " + b.code() + " tripped at "
                    + b.trippedAt() + " (" + b.reason() + "), " + (b.until() == null ? "until an officer resets it"
                    : "until " + b.until()) + "; new entries are refused");
        }
    }

    /** Applies the governor's standing multipliers (streak, recovery, weekly target, drawdown, win rate). */
    public void applyGovernorMultipliers(RuleContext ctx) {
        for (io.riskgate.portfolio.Multiplier m : governor.multipliers()) {
            verdict.add(new Adjustment(m.rule(), m.code(), m.factor(), m.reason(), m.group()));
        }
    }

    /** Seed 004's volatility factor: a dynamic factor, combined with the other dynamic ones as the policy says. */
    public void volatilityFactor(RuleContext ctx) {
        double f = policy.governor().multipliers().volatility().factor();
        verdict.adjust(ctx, f, "ATR/price " + getAtrRatio() + " is above " + getGovernorHighVolatilityAtrRatio()
                + " (high volatility): risk x " + f, Adjustment.DYNAMIC);
    }

    /** Seed 004's low-volatility factor (a dynamic factor, like the high-volatility one). */
    public void lowVolatilityFactor(RuleContext ctx) {
        double f = policy.governor().multipliers().volatility().lowFactor();
        verdict.adjust(ctx, f, "ATR/price " + getAtrRatio() + " is below " + getGovernorLowVolatilityAtrRatio()
                + " (low volatility): risk x " + f, Adjustment.DYNAMIC);
    }

    public CheckRequest request() { return request; }
}
