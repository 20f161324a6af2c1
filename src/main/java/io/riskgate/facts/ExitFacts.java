package io.riskgate.facts;

import io.riskgate.market.Mark;
import io.riskgate.policy.Exits;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The one flat fact the exit rules match: one open trade, the mark that moved it, and the policy's exit thresholds,
 * all reachable from a single pattern ({@code ExitFacts(bestR >= breakevenAtR)}). Rules decide and call the
 * methods at the bottom; the arithmetic of every level is here, in Java, and {@link ExitEvaluator} resolves what
 * the rules proposed into instructions.
 *
 * <p>Prices are seen from the trade's side: for a long the best price is the highest since entry and a stop is hit
 * when the bar's low reaches it; for a short everything mirrors.
 */
public final class ExitFacts {

    /** What one rule proposed. Trails by percentage get their step from a second table column. */
    public static final class Proposal {
        public enum Kind { CLOSE, PARTIAL, MOVE, PERCENT_TRAIL }

        final Kind kind;
        final String rule;
        final String code;
        final TradeState state;
        final double level;
        final String reason;
        double distancePct;
        double stepPct;

        Proposal(Kind kind, Rule r, TradeState state, double level, String reason) {
            this.kind = kind;
            this.rule = r.getName();
            this.code = Verdict.code(r);
            this.state = state;
            this.level = level;
            this.reason = reason;
        }

        public Kind kind() { return kind; }
        public String rule() { return rule; }
        public String code() { return code; }
        public TradeState state() { return state; }
        public double level() { return level; }
        public String reason() { return reason; }
        /** A percentage trail's distance (a fraction of the price). */
        public double distancePct() { return distancePct; }
        /** A percentage trail's step: the stop moves only in steps of this fraction. */
        public double stepPct() { return stepPct; }
    }

    private final Exits exits;
    private final Trade trade;
    private final Mark mark;
    private final double best;
    private final double worst;
    private final double tightening;
    private final List<Proposal> proposals = new ArrayList<>(4);

    /**
     * @param best the trade's best price including this mark's bar; {@code worst} likewise
     * @param tightening the governor's stop-tightening factor (at least 1)
     */
    public ExitFacts(Exits exits, Trade trade, Mark mark, double best, double worst, double tightening) {
        this.exits = exits;
        this.trade = trade;
        this.mark = mark;
        this.best = best;
        this.worst = worst;
        this.tightening = tightening;
    }

    private int sign() {
        return trade.side().sign();
    }

    // ---- the trade ----
    public String getTradeId() { return trade.id(); }
    /** The strategy name, or null when the trade has none. */
    public String getStrategy() { return trade.strategy(); }
    public Side getSide() { return trade.side(); }
    public boolean isLong() { return trade.side() == Side.LONG; }
    public boolean isShort() { return trade.side() == Side.SHORT; }
    public TradeState getState() { return trade.state(); }
    public double getEntry() { return trade.entryPrice(); }
    public double getInitialStop() { return trade.initialStop(); }
    /** The stop in force when the mark arrived. */
    public double getStop() { return trade.stopLoss(); }
    public double getTakeProfit() { return trade.takeProfit(); }
    public double getOpenQuantity() { return trade.openQuantity(); }
    /** The ATR the trade was sized with; NaN when unknown. */
    public double getAtr() { return trade.atr() == null ? Double.NaN : trade.atr(); }
    public boolean isAtrKnown() { return trade.atr() != null && trade.atr() > 0; }
    /** 1R: the initial risk per unit, |entry - initial stop|. */
    public double getRiskPerUnit() { return trade.riskPerUnit(); }
    public boolean isBreakevenDone() { return trade.progress().breakeven(); }
    public boolean isPartialDone() { return trade.progress().partial(); }
    /** True once a trail (ATR or percentage) began on an earlier mark. */
    public boolean isTrailingActive() { return trade.progress().trailing(); }

    // ---- the mark ----
    public double getPrice() { return mark.price(); }
    public double getHigh() { return mark.high(); }
    public double getLow() { return mark.low(); }
    /** Best price since entry, this bar included: highest for a long, lowest for a short. */
    public double getBest() { return best; }
    public double getWorst() { return worst; }
    /** Favourable excursion of the best price in R: seed 001's long at 50,000 with best 52,250 is at +1R. */
    public double getBestR() { return sign() * (best - trade.entryPrice()) / trade.riskPerUnit(); }
    /** Maximum favourable excursion in R, never below 0. */
    public double getMfeR() { return Math.max(0, getBestR()); }
    /** Profit of the best price over the entry as a fraction: 50,500 on a 50,000 long is 0.01. */
    public double getBestProfitPct() { return sign() * (best - trade.entryPrice()) / trade.entryPrice(); }
    /** The bar reached the stop in force (a long's low at or below it). */
    public boolean isStopHit() { return isLong() ? mark.low() <= trade.stopLoss() : mark.high() >= trade.stopLoss(); }
    /** The bar reached the take-profit (a long's high at or above it). */
    public boolean isTakeProfitHit() {
        return isLong() ? mark.high() >= trade.takeProfit() : mark.low() <= trade.takeProfit();
    }
    /** Hours from the fill to this mark, by event time. */
    public double getHeldHours() {
        return Duration.between(trade.openedAt(), mark.timestamp()).toMillis() / 3_600_000.0;
    }

    // ---- policy thresholds ----
    public boolean isBreakevenEnabled() { return exits.breakevenEnabled(); }
    public double getBreakevenAtR() { return exits.breakevenAtR(); }
    public boolean isPartialEnabled() { return exits.partialEnabled(); }
    public double getPartialAtR() { return exits.partialAtR(); }
    public boolean isTrailingEnabled() { return exits.trailingEnabled(); }
    public double getTrailingStartR() { return exits.trailingStartR(); }
    public boolean isTimeExitEnabled() { return exits.timeExitEnabled(); }
    public double getMaxHoursNoProgress() { return exits.maxNoProgress().toMillis() / 3_600_000.0; }
    public double getMinProgressR() { return exits.minProgressR(); }

    // ---- what rules may say ----

    /** Close everything at the stop in force. */
    public void closeAtStop(RuleContext ctx) {
        String kind = isTrailingActive() ? "trailing stop" : isBreakevenDone() ? "breakeven stop" : "stop-loss";
        propose(new Proposal(Proposal.Kind.CLOSE, ctx.getRule(), TradeState.CLOSED_SL, trade.stopLoss(),
                "the bar's " + (isLong() ? "low " + fmt(mark.low()) : "high " + fmt(mark.high())) + " reached the "
                        + kind + " " + fmt(trade.stopLoss())));
    }

    /** Close everything at the take-profit. */
    public void closeAtTarget(RuleContext ctx) {
        propose(new Proposal(Proposal.Kind.CLOSE, ctx.getRule(), TradeState.CLOSED_TP, trade.takeProfit(),
                "the bar's " + (isLong() ? "high " + fmt(mark.high()) : "low " + fmt(mark.low())) + " reached the "
                        + "take-profit " + fmt(trade.takeProfit())));
    }

    /** Close everything at the market: no progress within the policy's time. */
    public void closeOnTime(RuleContext ctx) {
        propose(new Proposal(Proposal.Kind.CLOSE, ctx.getRule(), TradeState.CLOSED_TIME, mark.price(),
                "open " + fmt(getHeldHours()) + " h and its best excursion " + fmt(getMfeR()) + "R is below "
                        + fmt(exits.minProgressR()) + "R (exits.time_exit: " + fmt(getMaxHoursNoProgress())
                        + " h without progress)"));
    }

    /** Move the stop to the entry plus the policy's offset, on the profit side. */
    public void breakeven(RuleContext ctx) {
        double level = trade.entryPrice() * (1 + sign() * exits.breakevenOffsetPct());
        propose(new Proposal(Proposal.Kind.MOVE, ctx.getRule(), TradeState.BREAKEVEN, level,
                "best price " + fmt(best) + " is +" + fmt(getBestR()) + "R (breakeven at +" + fmt(exits.breakevenAtR())
                        + "R): stop to entry " + fmt(trade.entryPrice()) + (isLong() ? " + " : " - ")
                        + fmt(exits.breakevenOffsetPct() * 100) + "% = " + fmt(level)));
    }

    /** Close the policy's fraction of the open quantity at +partialAtR R. */
    public void takePartial(RuleContext ctx) {
        double level = trade.entryPrice() + sign() * exits.partialAtR() * trade.riskPerUnit();
        propose(new Proposal(Proposal.Kind.PARTIAL, ctx.getRule(), TradeState.PARTIAL_TP, level,
                "best price " + fmt(best) + " reached +" + fmt(exits.partialAtR()) + "R = " + fmt(level) + ": close "
                        + fmt(exits.partialFraction() * 100) + "% of the open quantity"));
    }

    /** Trail the policy's ATR multiple behind the best price (divided by the tightening factor). */
    public void trailAtr(RuleContext ctx) {
        double distance = exits.trailingAtrMultiple() * trade.atr() / tightening;
        double level = best - sign() * distance;
        propose(new Proposal(Proposal.Kind.MOVE, ctx.getRule(), TradeState.TRAILING, level,
                "trailing " + fmt(exits.trailingAtrMultiple()) + " ATR (" + fmt(trade.atr()) + ")"
                        + (tightening > 1 ? " tightened " + fmt(tightening) + "x" : "") + " behind the best price "
                        + fmt(best) + ": stop " + fmt(level)));
    }

    /**
     * A percentage trail (seed 002, per-strategy table): {@code distancePct} behind the best price; its step comes
     * from {@link #trailStep}.
     */
    public void trailPercent(RuleContext ctx, double distancePct) {
        if (!(distancePct > 0 && distancePct < 1)) {
            throw new IllegalArgumentException("rule '" + ctx.getRule().getName() + "' trails at " + distancePct
                    + ": the distance must be in (0, 1)");
        }
        Proposal p = new Proposal(Proposal.Kind.PERCENT_TRAIL, ctx.getRule(), TradeState.TRAILING, Double.NaN, "");
        p.distancePct = distancePct;
        proposals.add(p);
    }

    /** The percentage trail's step: the stop moves only when it gains at least {@code stepPct} of the entry. */
    public void trailStep(RuleContext ctx, double stepPct) {
        if (!(stepPct >= 0 && stepPct < 1)) {
            throw new IllegalArgumentException("rule '" + ctx.getRule().getName() + "' has step " + stepPct
                    + ": the step must be in [0, 1)");
        }
        for (int i = proposals.size() - 1; i >= 0; i--) {
            Proposal p = proposals.get(i);
            if (p.kind == Proposal.Kind.PERCENT_TRAIL && p.rule.equals(ctx.getRule().getName())) {
                p.stepPct = stepPct;
                return;
            }
        }
        throw new IllegalStateException("rule '" + ctx.getRule().getName() + "' sets a step without a distance");
    }

    private void propose(Proposal p) {
        if (!Double.isFinite(p.level)) {
            throw new IllegalStateException("rule '" + p.rule + "' computed level " + p.level);
        }
        proposals.add(p);
    }

    public List<Proposal> proposals() {
        return Collections.unmodifiableList(proposals);
    }

    public Trade trade() {
        return trade;
    }

    public Mark mark() {
        return mark;
    }

    public double tightening() {
        return tightening;
    }

    /** A number as a person writes it: 52250, 0.5, 1.33333333. */
    public static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return BigDecimal.valueOf(v).setScale(8, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }
}
