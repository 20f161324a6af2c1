package io.riskgate.governor;

import io.riskgate.portfolio.ActiveBreaker;
import io.riskgate.portfolio.Multiplier;
import io.riskgate.portfolio.TradingState;
import java.time.Instant;
import java.util.List;

/**
 * An account as {@code GET /api/v1/accounts/{id}/state} shows it: trading state, active breakers (reason,
 * measured value, limit, until when), drawdown per window, the multipliers a check would apply now, and the
 * stop tightening exits use.
 *
 * @param equity account equity now (snapshot plus P&L since), null while none is known
 * @param openInstructions emergency instructions not yet acknowledged
 * @param limits the loss and drawdown limits of the account's policy the drawdowns are measured against
 */
public record AccountGovernorView(String account, TradingState state, List<ActiveBreaker> breakers, Double equity,
                                  Double peakEquity, Drawdown drawdown, boolean recovery,
                                  boolean weeklyTargetReached, List<Multiplier> multipliers, double stopTightening,
                                  long openInstructions, Instant asOf, BreakerLimits limits) {

    /**
     * The breakers' limits of the policy deciding for the account, as fractions; null for a breaker it turns off.
     * {@code dailyLoss} is measured against {@link Drawdown#daily}, {@code weeklyLoss} against {@link Drawdown#weekly},
     * {@code circuitBreaker} and {@code maxDrawdown} against {@link Drawdown#fromPeak}.
     */
    public record BreakerLimits(String policyId, Double dailyLoss, Double weeklyLoss, Double circuitBreaker,
                         Double maxDrawdown) {

        static BreakerLimits of(String policyId, io.riskgate.policy.Governor.Breakers b) {
            return new BreakerLimits(policyId, limit(b.dailyLoss()), limit(b.weeklyLoss()),
                    limit(b.circuitBreaker()), limit(b.maxDrawdown()));
        }

        private static Double limit(io.riskgate.policy.Governor.Breaker b) {
            return b != null && b.enabled() ? b.limitPct() : null;
        }
    }

    /**
     * Losses as fractions: {@code daily} since the day window opened with {@code dayOpenEquity}, {@code weekly}
     * likewise, {@code fromPeak} below the equity peak; {@code weeklyGain} is signed.
     */
    public record Drawdown(double daily, double weekly, double fromPeak, double weeklyGain, Instant dayStart,
                           Double dayOpenEquity, Instant weekStart, Double weekOpenEquity) {
    }
}
