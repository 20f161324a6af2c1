package io.riskgate.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * The portfolio governor's settings (the policy's {@code governor} section): drawdown windows, circuit breakers,
 * emergency protocols and the account-level risk multipliers of seeds 000-004. The groups follow the YAML.
 *
 * @param positionLossLimitPct an open position losing more than this share of equity gets a CLOSE instruction
 *        (seed 003: 3%)
 * @param emergencyReduceFraction the share of every position a REDUCE instruction asks to close (seed 003: 50%)
 */
public record Governor(Windows windows, Breakers breakers, double positionLossLimitPct,
                       double emergencyReduceFraction, Multipliers multipliers) {

    /**
     * The day and week windows: a day starts at {@code dailyReset} in {@code timeZone} (00:00 UTC by default;
     * 17:00 America/New_York is the US market close), a week at that time on {@code weekStarts}.
     */
    public record Windows(ZoneId timeZone, LocalTime dailyReset, DayOfWeek weekStarts) {
    }

    /**
     * The circuit breakers ({@code governor.breakers}).
     *
     * @param volatilitySpike trips when an open position's latest return is at least {@code limitPct} standard
     *        deviations from its window's mean (seed 003: 3 sigma); its limit is in sigmas, not a fraction
     * @param correlationSpike trips when two open positions' correlation reaches {@code limitPct} (seed 003: 90%)
     */
    public record Breakers(Breaker dailyLoss, Breaker weeklyLoss, Breaker circuitBreaker, Breaker maxDrawdown,
                           Breaker volatilitySpike, Breaker correlationSpike) {
    }

    /**
     * The account-level risk multipliers ({@code governor.multipliers}).
     *
     * @param dynamicCombine how the dynamic factors (drawdown table, win rate, volatility) combine: seed 004's
     *        most restrictive by default, or their product
     */
    public record Multipliers(LosingStreak losingStreak, Recovery recovery, WeeklyTarget weeklyTarget,
                              WinRate winRate, Volatility volatility, Combine dynamicCombine) {
    }

    /** Seed 001: after {@code trades} losses in a row, risk x {@code factor}. */
    public record LosingStreak(int trades, double factor) {
    }

    /** Seed 001: in a drawdown of {@code drawdownPct} from the peak, risk x {@code factor} until a new peak. */
    public record Recovery(double drawdownPct, double factor) {
    }

    /** Seed 002: once the week is up {@code targetPct}, risk x {@code preservationFactor} until the week resets. */
    public record WeeklyTarget(double targetPct, double preservationFactor) {
    }

    /**
     * Seed 004: the win rate over the last {@code windowTrades} (at least {@code minTrades} closed): below
     * {@code lowBelow} risk x {@code lowFactor}, above {@code highAbove} risk x {@code highFactor}.
     */
    public record WinRate(int minTrades, int windowTrades, double lowBelow, double lowFactor, double highAbove,
                          double highFactor) {
    }

    /**
     * Seed 004: ATR / price above {@code atrRatioAbove}, risk x {@code factor}; below {@code atrRatioBelow}, risk x
     * {@code lowFactor}.
     */
    public record Volatility(double atrRatioAbove, double factor, double atrRatioBelow, double lowFactor) {
    }

    /** How a group of factors combines into one multiplier. */
    public enum Combine { MOST_RESTRICTIVE, PRODUCT }

    /** What a breaker's trip asks the caller to do with open positions. */
    public enum Emergency { NONE, CLOSE_ALL, REDUCE }

    /** How long a trip lasts: to the end of its window, for a cooldown, or until an officer resets it. */
    public enum Until { WINDOW_END, COOLDOWN, RESET }

    /**
     * One circuit breaker: it trips when its measured loss reaches {@code limitPct}, moves the account to
     * {@code state} (HALTED or REDUCING) and issues {@code emergency}.
     */
    public record Breaker(boolean enabled, double limitPct, String state, Until until, Optional<Duration> cooldown,
                          Emergency emergency) {
    }

    /** Start of the day window holding {@code t}: the latest daily reset at or before it. */
    public Instant dayStart(Instant t) {
        ZonedDateTime local = t.atZone(windows.timeZone());
        ZonedDateTime start = local.with(windows.dailyReset());
        if (start.isAfter(local)) {
            start = start.minusDays(1).with(windows.dailyReset());
        }
        return start.toInstant();
    }

    /** Start of the week window holding {@code t}: the latest reset on {@code weekStarts} at or before it. */
    public Instant weekStart(Instant t) {
        ZonedDateTime local = t.atZone(windows.timeZone());
        ZonedDateTime start = local.with(TemporalAdjusters.previousOrSame(windows.weekStarts()))
                .with(windows.dailyReset());
        if (start.isAfter(local)) {
            start = start.minusWeeks(1).with(windows.dailyReset());
        }
        return start.toInstant();
    }

    /** The next day boundary after {@code t}. */
    public Instant nextDay(Instant t) {
        return dayStart(t).atZone(windows.timeZone()).plusDays(1).with(windows.dailyReset()).toInstant();
    }

    /** The next week boundary after {@code t}. */
    public Instant nextWeek(Instant t) {
        return weekStart(t).atZone(windows.timeZone()).plusWeeks(1).with(windows.dailyReset()).toInstant();
    }
}
