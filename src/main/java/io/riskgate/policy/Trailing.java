package io.riskgate.policy;

/**
 * A strategy's percentage trailing stop (seed 002): it activates once profit reaches {@code activationPct},
 * trails {@code distancePct} behind the best price and moves in {@code stepPct} increments.
 */
public record Trailing(double activationPct, double distancePct, double stepPct) {
}
