package io.riskgate.policy;

import java.time.Duration;

/**
 * Seed 001's exit policy (ExitPolicyEngine settings), read from the policy's {@code exits} section. R is the
 * trade's initial risk per unit, |entry - initial stop|: seed 001's entry 50,000 with ATR 1,500 and a 1.5 ATR stop
 * gives 1R = 2,250, so breakeven triggers at 52,250 (+1R) and the partial take-profit at 54,500 (+2R).
 *
 * @param breakevenOffsetPct the breakeven stop sits this far past the entry, on the profit side (0.001 = 0.1%)
 * @param partialFraction share of the open quantity closed at the partial take-profit (0.5 = half)
 * @param trailingAtrMultiple the ATR trail sits this many ATRs behind the best price since entry
 * @param takeProfitAfterTrailing false (default): once a trail has begun, the take-profit no longer closes the
 *        remainder, which runs on the trailing stop ("let winners run")
 * @param maxNoProgress a trade whose best excursion has not reached {@code minProgressR} this long after it
 *        opened is closed (CLOSED_TIME)
 * @param minProgressR "progress" means a favourable excursion of at least this many R since entry
 */
public record Exits(
        boolean breakevenEnabled, double breakevenAtR, double breakevenOffsetPct,
        boolean partialEnabled, double partialAtR, double partialFraction,
        boolean trailingEnabled, double trailingStartR, double trailingAtrMultiple,
        boolean takeProfitAfterTrailing,
        boolean timeExitEnabled, Duration maxNoProgress, double minProgressR) {
}
