package io.riskgate.facts;

import io.riskgate.policy.Governor;
import io.riskgate.portfolio.Multiplier;
import io.riskgate.portfolio.TradingState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The one flat fact the governor's rules match: an account's measured equity, drawdowns, streak and win rate, with
 * the policy's governor thresholds, all reachable from a single pattern ({@code AccountFacts(dailyLossPct >=
 * dailyLossLimitPct)}). Rules decide; {@link GovernorEvaluator} applies what they said (a breaker trips only on
 * crossing, see {@link GovernorState#disarmed()}).
 *
 * <p>Seed 001's account: 10,000 at the day's start, 9,700 now: daily loss 300 / 10,000 = 0.03, at the 3% limit.
 */
public final class AccountFacts {

    /** A breaker whose limit the account is at or beyond, as its rule reported it. */
    /** @param window "day" or "week" for the windowed breakers (they last to the window's end), else null */
    public record Trip(String code, String rule, TradingState state, double measured, double limit,
                Governor.Breaker breaker, String window, String reason) {
    }

    private final Governor g;
    private final Governor.Breakers breakers;
    private final Governor.Multipliers m;
    private final String account;
    private final double equity;
    private final double drawdownPct;
    private final double dailyLossPct;
    private final double weeklyLossPct;
    private final double weeklyGainPct;
    private final int lossStreak;
    private final int winRateTrades;
    private final double winRate;
    private final boolean recovery;
    private final boolean weeklyTargetReached;
    private final double volatilitySpikeSigma;
    private final double maxPairCorrelation;
    private final List<Trip> trips = new ArrayList<>(2);
    private final List<Multiplier> multipliers = new ArrayList<>(4);
    private double stopTightening = 1;

    public AccountFacts(Governor g, String account, double equity, double drawdownPct, double dailyLossPct,
                 double weeklyLossPct, double weeklyGainPct, int lossStreak, int winRateTrades, double winRate,
                 boolean recovery, boolean weeklyTargetReached, double volatilitySpikeSigma,
                 double maxPairCorrelation) {
        this.volatilitySpikeSigma = volatilitySpikeSigma;
        this.maxPairCorrelation = maxPairCorrelation;
        this.g = g;
        this.breakers = g.breakers();
        this.m = g.multipliers();
        this.account = account;
        this.equity = equity;
        this.drawdownPct = drawdownPct;
        this.dailyLossPct = dailyLossPct;
        this.weeklyLossPct = weeklyLossPct;
        this.weeklyGainPct = weeklyGainPct;
        this.lossStreak = lossStreak;
        this.winRateTrades = winRateTrades;
        this.winRate = winRate;
        this.recovery = recovery;
        this.weeklyTargetReached = weeklyTargetReached;
    }

    // ---- measured ----
    public String getAccount() { return account; }
    public double getEquity() { return equity; }
    /** (peak - equity) / peak. */
    public double getDrawdownPct() { return drawdownPct; }
    /** Loss since the day window opened, over the equity it opened with (0 when up). */
    public double getDailyLossPct() { return dailyLossPct; }
    public double getWeeklyLossPct() { return weeklyLossPct; }
    /** Gain since the week window opened, over the equity it opened with (negative when down). */
    public double getWeeklyGainPct() { return weeklyGainPct; }
    /** Consecutive losing trades, newest first. */
    public int getLossStreak() { return lossStreak; }
    /** Closed trades in the win-rate window (at most the policy's window_trades). */
    public int getWinRateTrades() { return winRateTrades; }
    public double getWinRate() { return winRate; }
    public boolean isRecovery() { return recovery; }
    public boolean isWeeklyTargetReached() { return weeklyTargetReached; }
    /** How many standard deviations an open symbol's latest return lies from its window's mean (largest); NaN if none. */
    public double getVolatilitySpikeSigma() { return volatilitySpikeSigma; }
    /** The highest direction-adjusted correlation between two open positions of different assets; NaN if none. */
    public double getMaxPairCorrelation() { return maxPairCorrelation; }

    // ---- policy thresholds ----
    public boolean isDailyLossEnabled() { return breakers.dailyLoss().enabled(); }
    public double getDailyLossLimitPct() { return breakers.dailyLoss().limitPct(); }
    public boolean isWeeklyLossEnabled() { return breakers.weeklyLoss().enabled(); }
    public double getWeeklyLossLimitPct() { return breakers.weeklyLoss().limitPct(); }
    public boolean isCircuitBreakerEnabled() { return breakers.circuitBreaker().enabled(); }
    public double getCircuitBreakerLimitPct() { return breakers.circuitBreaker().limitPct(); }
    public boolean isMaxDrawdownEnabled() { return breakers.maxDrawdown().enabled(); }
    public double getMaxDrawdownLimitPct() { return breakers.maxDrawdown().limitPct(); }
    public boolean isVolatilitySpikeEnabled() { return breakers.volatilitySpike().enabled(); }
    public double getVolatilitySpikeLimit() { return breakers.volatilitySpike().limitPct(); }
    public boolean isCorrelationSpikeEnabled() { return breakers.correlationSpike().enabled(); }
    public double getCorrelationSpikeLimit() { return breakers.correlationSpike().limitPct(); }
    public int getLosingStreakTrades() { return m.losingStreak().trades(); }
    public int getWinRateMinTrades() { return m.winRate().minTrades(); }
    public double getLowWinRate() { return m.winRate().lowBelow(); }
    public double getHighWinRate() { return m.winRate().highAbove(); }

    // ---- what rules may say ----
    public void tripDailyLoss(RuleContext ctx) {
        trip(ctx, breakers.dailyLoss(), "day", dailyLossPct, "daily loss " + pct(dailyLossPct) + " reached the limit "
                + pct(breakers.dailyLoss().limitPct()));
    }

    public void tripWeeklyLoss(RuleContext ctx) {
        trip(ctx, breakers.weeklyLoss(), "week", weeklyLossPct, "weekly loss " + pct(weeklyLossPct)
                + " reached the limit " + pct(breakers.weeklyLoss().limitPct()));
    }

    public void tripCircuitBreaker(RuleContext ctx) {
        trip(ctx, breakers.circuitBreaker(), null, drawdownPct, "drawdown " + pct(drawdownPct)
                + " from the equity peak reached the circuit breaker's " + pct(breakers.circuitBreaker().limitPct()));
    }

    public void tripMaxDrawdown(RuleContext ctx) {
        trip(ctx, breakers.maxDrawdown(), null, drawdownPct, "drawdown " + pct(drawdownPct)
                + " from the equity peak reached the maximum " + pct(breakers.maxDrawdown().limitPct()));
    }

    public void tripVolatilitySpike(RuleContext ctx) {
        trip(ctx, breakers.volatilitySpike(), null, volatilitySpikeSigma, "an open symbol's latest return is "
                + round(volatilitySpikeSigma) + " standard deviations from its mean (limit "
                + breakers.volatilitySpike().limitPct() + ")");
    }

    public void tripCorrelationSpike(RuleContext ctx) {
        trip(ctx, breakers.correlationSpike(), null, maxPairCorrelation, "two open positions correlate at "
                + round(maxPairCorrelation) + " (limit " + breakers.correlationSpike().limitPct() + ")");
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    public void losingStreak(RuleContext ctx) {
        multiply(ctx, m.losingStreak().factor(), Adjustment.GOVERNOR, lossStreak + " losing trades in a row (limit "
                + m.losingStreak().trades() + "): risk x " + m.losingStreak().factor());
    }

    public void recoveryMode(RuleContext ctx) {
        multiply(ctx, m.recovery().factor(), Adjustment.GOVERNOR, "recovery mode since a drawdown of "
                + pct(m.recovery().drawdownPct()) + " (now " + pct(drawdownPct) + "), until a new equity peak: risk x "
                + m.recovery().factor());
    }

    public void preserveWeeklyGain(RuleContext ctx) {
        Governor.WeeklyTarget w = m.weeklyTarget();
        multiply(ctx, w.preservationFactor(), Adjustment.GOVERNOR, "the weekly target " + pct(w.targetPct())
                + " was reached this week: risk x " + w.preservationFactor() + " until the week resets");
    }

    public void lowWinRate(RuleContext ctx) {
        Governor.WinRate w = m.winRate();
        multiply(ctx, w.lowFactor(), Adjustment.DYNAMIC, "win rate " + pct(winRate) + " over the last "
                + winRateTrades + " trades is below " + pct(w.lowBelow()) + ": risk x " + w.lowFactor());
    }

    public void highWinRate(RuleContext ctx) {
        Governor.WinRate w = m.winRate();
        multiply(ctx, w.highFactor(), Adjustment.DYNAMIC, "win rate " + pct(winRate) + " over the last "
                + winRateTrades + " trades is above " + pct(w.highAbove()) + ": risk x " + w.highFactor());
    }

    /** A row of the drawdown table (seed 004): its position factor. */
    public void drawdownFactor(RuleContext ctx, double factor) {
        multiply(ctx, factor, Adjustment.DYNAMIC, "drawdown " + pct(drawdownPct) + " from the equity peak: "
                + ctx.getRule().getName() + ", position size x " + factor);
    }

    /** The same row's stop tightening: trailing distances are divided by it. */
    public void tightenStops(RuleContext ctx, double factor) {
        if (!(factor >= 1) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("rule '" + ctx.getRule().getName() + "' tightens stops by "
                    + factor + ": a tightening factor must be at least 1");
        }
        stopTightening = Math.max(stopTightening, factor);
    }

    private void trip(RuleContext ctx, Governor.Breaker b, String window, double measured, String reason) {
        Rule r = ctx.getRule();
        trips.add(new Trip(Verdict.code(r), r.getName(), TradingState.valueOf(b.state()), measured, b.limitPct(), b,
                window, reason));
    }

    private void multiply(RuleContext ctx, double factor, String group, String reason) {
        if (!(factor >= 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("rule '" + ctx.getRule().getName() + "' produced factor " + factor);
        }
        Rule r = ctx.getRule();
        multipliers.add(new Multiplier(Verdict.code(r), r.getName(), factor, group, reason));
    }

    public static String pct(double v) {
        return java.math.BigDecimal.valueOf(v * 100).setScale(4, java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString() + "%";
    }

    public List<Trip> trips() {
        return Collections.unmodifiableList(trips);
    }

    public List<Multiplier> multipliers() {
        return Collections.unmodifiableList(multipliers);
    }

    public double stopTightening() {
        return stopTightening;
    }
}
