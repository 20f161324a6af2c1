package io.riskgate.sizing;

import io.riskgate.base.Checks;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the sizers may look at, each optional; a sizer reads only its own. Start from {@link #none()} and add:
 * {@code SizingSignals.none().withEdge(0.6, 2.0).withConfidence(0.8)}.
 *
 * @param winRate share of winning trades, in [0, 1] (Kelly's p)
 * @param payoffRatio average win / average loss, > 0 (Kelly's b)
 * @param realizedVolatility the market's recent volatility, > 0, in the unit of the sizer's target
 * @param confidence the signal's confidence, in [0, 1]
 * @param regime the market regime's name as the caller's regime table spells it
 */
public record SizingSignals(OptionalDouble winRate, OptionalDouble payoffRatio, OptionalDouble realizedVolatility,
        OptionalDouble confidence, Optional<String> regime) {

    private static final SizingSignals NONE = new SizingSignals(OptionalDouble.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty());

    public SizingSignals {
        if (winRate == null || payoffRatio == null || realizedVolatility == null || confidence == null
                || regime == null) {
            throw new IllegalArgumentException("signals must not be null; use empty optionals");
        }
        winRate.ifPresent(v -> Checks.inRange("winRate", v, 0, 1));
        payoffRatio.ifPresent(v -> Checks.positive("payoffRatio", v));
        realizedVolatility.ifPresent(v -> Checks.positive("realizedVolatility", v));
        confidence.ifPresent(v -> Checks.inRange("confidence", v, 0, 1));
        regime.ifPresent(v -> Checks.notBlank("regime", v));
    }

    public static SizingSignals none() {
        return NONE;
    }

    /** The strategy's record: win rate p and payoff ratio b = average win / average loss. */
    public SizingSignals withEdge(double winRate, double payoffRatio) {
        return new SizingSignals(OptionalDouble.of(winRate), OptionalDouble.of(payoffRatio), realizedVolatility,
                confidence, regime);
    }

    public SizingSignals withRealizedVolatility(double volatility) {
        return new SizingSignals(winRate, payoffRatio, OptionalDouble.of(volatility), confidence, regime);
    }

    public SizingSignals withConfidence(double confidence) {
        return new SizingSignals(winRate, payoffRatio, realizedVolatility, OptionalDouble.of(confidence), regime);
    }

    public SizingSignals withRegime(String regime) {
        return new SizingSignals(winRate, payoffRatio, realizedVolatility, confidence, Optional.of(regime));
    }

    /** The value of a signal {@code sizer} cannot do without; fails naming both when it is absent. */
    static double require(OptionalDouble signal, String name, String sizer) {
        return signal.orElseThrow(() -> new IllegalArgumentException(sizer + " needs the " + name + " signal"));
    }
}
