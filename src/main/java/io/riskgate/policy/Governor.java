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
 * emergency protocols and the account-level risk multipliers of seeds 000-004.
 *
 * <p>Windows: a day starts at {@code dailyReset} in {@code timeZone} (00:00 UTC by default; 17:00
 * America/New_York is the US market close), a week at that time on {@code weekStarts}.
 *
 * @param volatilitySpike trips when an open position's latest return is at least {@code limitPct} standard
 *        deviations from its window's mean (seed 003: 3 sigma); its limit is in sigmas, not a fraction
 * @param correlationSpike trips when two open positions' correlation reaches {@code limitPct} (seed 003: 90%)
 * @param positionLossLimitPct an open position losing more than this share of equity gets a CLOSE instruction
 *        (seed 003: 3%)
 * @param emergencyReduceFraction the share of every position a REDUCE instruction asks to close (seed 003: 50%)
 * @param dynamicCombine how the dynamic factors (drawdown table, win rate, volatility) combine: seed 004's
 *        most restrictive by default, or their product
 */
public record Governor(
        ZoneId timeZone,
        LocalTime dailyReset,
        DayOfWeek weekStarts,
        Breaker dailyLoss,
        Breaker weeklyLoss,
        Breaker circuitBreaker,
        Breaker maxDrawdown,
        Breaker volatilitySpike,
        Breaker correlationSpike,
        double positionLossLimitPct,
        double emergencyReduceFraction,
        int losingStreakTrades,
        double losingStreakFactor,
        double recoveryDrawdownPct,
        double recoveryFactor,
        double weeklyTargetPct,
        double preservationFactor,
        int winRateMinTrades,
        int winRateWindowTrades,
        double lowWinRate,
        double lowWinRateFactor,
        double highWinRate,
        double highWinRateFactor,
        double highVolatilityAtrRatio,
        double volatilityFactor,
        double lowVolatilityAtrRatio,
        double lowVolatilityFactor,
        Combine dynamicCombine) {

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
        ZonedDateTime local = t.atZone(timeZone);
        ZonedDateTime start = local.with(dailyReset);
        if (start.isAfter(local)) {
            start = start.minusDays(1).with(dailyReset);
        }
        return start.toInstant();
    }

    /** Start of the week window holding {@code t}: the latest reset on {@code weekStarts} at or before it. */
    public Instant weekStart(Instant t) {
        ZonedDateTime local = t.atZone(timeZone);
        ZonedDateTime start = local.with(TemporalAdjusters.previousOrSame(weekStarts)).with(dailyReset);
        if (start.isAfter(local)) {
            start = start.minusWeeks(1).with(dailyReset);
        }
        return start.toInstant();
    }

    /** The next day boundary after {@code t}. */
    public Instant nextDay(Instant t) {
        return dayStart(t).atZone(timeZone).plusDays(1).with(dailyReset).toInstant();
    }

    /** The next week boundary after {@code t}. */
    public Instant nextWeek(Instant t) {
        return weekStart(t).atZone(timeZone).plusWeeks(1).with(dailyReset).toInstant();
    }
}
