package io.riskgate.replay;

import io.riskgate.base.Checks;

/**
 * How a replay trades (docs/replay.md).
 *
 * @param account the account the orders are checked for
 * @param equity the starting equity, in account currency
 * @param fill where an approved order is filled: this bar's close (the check's price) or the next bar's open
 * @param slippageBps how much worse than the assumed price every fill and close is, in basis points
 * @param feeBps the fee on every fill's and close's notional, in basis points
 * @param spreadBps the spread every check reports (bars carry none)
 */
public record ReplaySettings(String account, double equity, Fill fill, double slippageBps, double feeBps,
                             double spreadBps) {

    /** Where an approved order is filled. */
    public enum Fill {
        /** At the close of the bar the signal came on: the price the order was checked at. */
        CLOSE,
        /** At the open of the symbol's next bar. */
        NEXT_OPEN
    }

    public ReplaySettings {
        Checks.positive("equity", equity);
        Checks.nonNegative("slippageBps", slippageBps);
        Checks.nonNegative("feeBps", feeBps);
        Checks.nonNegative("spreadBps", spreadBps);
        if (fill == null) {
            throw new IllegalArgumentException("fill must be CLOSE or NEXT_OPEN");
        }
    }

    /** Starting equity 10,000 on account "replay", filled at the next open, 5 bps slippage, 10 bps fee, 5 bps spread. */
    public static ReplaySettings defaults() {
        return new ReplaySettings("replay", 10_000, Fill.NEXT_OPEN, 5, 10, 5);
    }
}
