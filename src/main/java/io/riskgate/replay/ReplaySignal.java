package io.riskgate.replay;

import io.riskgate.policy.Consensus;
import io.riskgate.policy.Side;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * One signal of a replay: at {@code time}, the strategy's model ensemble wants {@code side} on {@code symbol}. The
 * replay turns it into a check at that time, its market price the close of the symbol's latest bar closed by then.
 *
 * @param strategy null when the signal names none
 * @param entry,stopLoss,takeProfit the signal's own levels, empty when riskgate is to set them
 * @param atr,ema200 the signal's own indicators, empty when riskgate computes them from the bars closed by then
 */
public record ReplaySignal(Instant time, String symbol, Side side, String strategy, Consensus consensus,
                           double confidence, OptionalDouble strength, OptionalDouble entry, OptionalDouble stopLoss,
                           OptionalDouble takeProfit, OptionalDouble atr, OptionalDouble ema200) {

    /** A signal whose indicators riskgate computes from the bars. */
    public ReplaySignal(Instant time, String symbol, Side side, String strategy, Consensus consensus,
                        double confidence, OptionalDouble strength, OptionalDouble entry, OptionalDouble stopLoss,
                        OptionalDouble takeProfit) {
        this(time, symbol, side, strategy, consensus, confidence, strength, entry, stopLoss, takeProfit,
                OptionalDouble.empty(), OptionalDouble.empty());
    }
}
