package io.riskgate.facts;

import io.riskgate.sizing.Cap;
import io.riskgate.sizing.CapName;
import io.riskgate.sizing.SizingResult;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The fact the portfolio-limit rules match once Java has sized the order: the proposed position, the headroom
 * left under each limit, and the policy minimums. A headroom below the minimum position means the limit leaves
 * no room for this order.
 */
public final class SizedOrder {

    private final OrderFacts order;
    private final SizingResult sizing;
    private final double minPositionUsd;
    private final double minRewardRisk;
    private final double equity;
    private final Verdict verdict;

    public SizedOrder(OrderFacts order, SizingResult sizing, double minPositionUsd, double minRewardRisk,
                      double equity, Verdict verdict) {
        this.order = order;
        this.sizing = sizing;
        this.minPositionUsd = minPositionUsd;
        this.minRewardRisk = minRewardRisk;
        this.equity = equity;
        this.verdict = verdict;
    }

    public OrderFacts getOrder() { return order; }
    public String getSymbol() { return order.getSymbol(); }
    public String getAsset() { return order.getAsset(); }
    public String getStrategy() { return order.getStrategy(); }
    public double getEquity() { return equity; }
    public double getQuantity() { return sizing.quantity(); }
    public double getNotional() { return sizing.notional(); }
    public double getEntry() { return sizing.entry(); }
    public double getStopLoss() { return sizing.stopLoss(); }
    public double getTakeProfit() { return sizing.takeProfit(); }
    public double getRiskAmount() { return sizing.riskAmount(); }
    public String getBindingCap() { return sizing.bindingCap(); }
    public double getRewardRisk() { return sizing.rewardRisk(); }
    public double getMinRewardRisk() { return minRewardRisk; }
    public double getMinPositionUsd() { return minPositionUsd; }
    public String getStopSource() { return sizing.stopSource().name(); }
    /** Both price levels above zero: a wide ATR stop or a large take-profit % can push one through zero. */
    public boolean isLevelsPositive() { return sizing.stopLoss() > 0 && sizing.takeProfit() > 0; }

    /** Notional room left under the named cap, or +infinity when the cap does not apply to this order. */
    public double headroom(CapName cap) {
        for (Cap c : sizing.caps()) {
            if (c.name() == cap) {
                return c.notional();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    public double getExposureHeadroomUsd() { return headroom(CapName.MAX_EXPOSURE); }
    public double getAssetHeadroomUsd() { return headroom(CapName.ASSET_CONCENTRATION); }
    public double getStrategyHeadroomUsd() { return headroom(CapName.STRATEGY_MAX_POSITION); }
    /** The notional the symbol's order-size control allows: the lower of its quantity and notional limits. */
    public double getOrderLimitUsd() {
        return Math.min(headroom(CapName.ORDER_MAX_QUANTITY), headroom(CapName.ORDER_MAX_NOTIONAL));
    }
    /**
     * The order-size limit that binds, as the policy writes it: "max_quantity 10000000 (100 at 0.00001)" or
     * "max_notional 250000".
     */
    public String getOrderLimit() {
        double q = headroom(CapName.ORDER_MAX_QUANTITY);
        double n = headroom(CapName.ORDER_MAX_NOTIONAL);
        io.riskgate.policy.Controls.Limit limit = order.orderSizeLimit();
        return q <= n ? "max_quantity " + plain(limit.maxQuantity().orElse(Double.NaN)) + " (" + plain(q) + " at "
                + plain(getEntry()) + ")" : "max_notional " + plain(n);
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** True when a headroom limit, not the risk budget, leaves less than the minimum position. */
    public boolean isHeadroomShort() {
        return getExposureHeadroomUsd() < minPositionUsd || getAssetHeadroomUsd() < minPositionUsd
                || getStrategyHeadroomUsd() < minPositionUsd || getOrderLimitUsd() < minPositionUsd
                || getFirmExposureHeadroomUsd() < minPositionUsd || getDailyRiskHeadroomUsd() < minPositionUsd
                || getFirmDailyRiskHeadroomUsd() < minPositionUsd;
    }

    // ---- market-access controls on the sized order: firm limits, daily risk budgets, duplicates ----
    private io.riskgate.portfolio.RecentChecks.Approval duplicateOf;
    private double dailyRiskUsed;
    private double dailyRiskBudget = Double.NaN;
    private double firmDailyRiskUsed;
    private double firmExposure;

    /** Sets the approval this order repeats (null: none); before inserting. */
    public SizedOrder duplicateOf(io.riskgate.portfolio.RecentChecks.Approval a) { this.duplicateOf = a; return this; }
    /** The earlier approval of the same order within controls.duplicate_orders.window, or null. */
    public io.riskgate.portfolio.RecentChecks.Approval getDuplicateOf() { return duplicateOf; }
    public String getDuplicateWindow() {
        return order.controls().duplicateWindow().map(java.time.Duration::toString).orElse("");
    }

    /**
     * Sets the account's risk opened today and its budget (NaN: none), the firm's risk opened today and its gross
     * exposure without this order; before inserting.
     */
    public SizedOrder budgets(double riskUsed, double riskBudget, double firmRiskUsed, double firmExposure) {
        this.dailyRiskUsed = riskUsed;
        this.dailyRiskBudget = riskBudget;
        this.firmDailyRiskUsed = firmRiskUsed;
        this.firmExposure = firmExposure;
        return this;
    }

    /** The notional the firm's gross exposure limit leaves for this order (+infinity: no limit). */
    public double getFirmExposureHeadroomUsd() { return headroom(CapName.FIRM_GROSS_EXPOSURE); }
    public double getFirmExposure() { return firmExposure; }
    public double getMaxFirmExposure() {
        return order.controls().firm().maxGrossExposure().orElse(Double.POSITIVE_INFINITY);
    }
    /** The notional the account's daily risk budget leaves for this order at its stop (+infinity: no budget). */
    public double getDailyRiskHeadroomUsd() { return headroom(CapName.DAILY_RISK_BUDGET); }
    public double getDailyRiskUsed() { return dailyRiskUsed; }
    public double getDailyRiskBudget() { return dailyRiskBudget; }
    /** The notional the firm's daily risk limit leaves for this order at its stop (+infinity: no limit). */
    public double getFirmDailyRiskHeadroomUsd() { return headroom(CapName.FIRM_DAILY_RISK); }
    public double getFirmDailyRiskUsed() { return firmDailyRiskUsed; }
    public double getMaxFirmDailyRisk() {
        return order.controls().firm().maxDailyRisk().orElse(Double.POSITIVE_INFINITY);
    }

    public void reject(RuleContext ctx, String message) { verdict.reject(ctx, message); }

    public SizingResult sizing() { return sizing; }

    // ---- analytics with this order added ----
    private io.riskgate.market.PortfolioRisk.ExposureCheck exposure;

    /** Sets the heat and VaR with this order added; call before inserting the fact. */
    public SizedOrder exposure(io.riskgate.market.PortfolioRisk.ExposureCheck e) { this.exposure = e; return this; }
    public io.riskgate.market.PortfolioRisk.ExposureCheck exposure() { return exposure; }
    /** Every open position's risk to its stop plus this order's, over equity. */
    public double getPortfolioHeatPct() { return exposure == null ? 0 : exposure.heatPct(); }
    public double getMaxPortfolioHeatPct() { return order.getMaxPortfolioHeatPct(); }
    public boolean isVarMeasured() { return exposure != null && exposure.varPct() != null; }
    /** The portfolio's VaR with this order, over equity; NaN when not measured. */
    public double getVarPct() { return isVarMeasured() ? exposure.varPct() : Double.NaN; }
    public double getMaxVarPct() { return order.getMaxVarPct(); }
    /** VaR could not be measured (too few aligned returns). */
    public boolean isVarMissing() { return exposure != null && exposure.varPct() == null; }
    public boolean isMissingDataRejects() { return order.isMissingDataRejects(); }
    public String getVarNote() { return exposure == null ? null : exposure.varNote(); }
}
