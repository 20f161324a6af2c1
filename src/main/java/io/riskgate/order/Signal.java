package io.riskgate.order;

import io.riskgate.base.Checks;
import io.riskgate.policy.Consensus;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The model ensemble's view of the trade (seed 001's SignalQuality).
 *
 * @param confidence in [0, 1]
 * @param modelVotes model name to LONG/SHORT/HOLD, recorded for the audit
 */
public record Signal(Consensus consensus, double confidence, OptionalDouble strength, Map<String, String> modelVotes) {

    public Signal {
        Checks.inRange("signal.confidence", confidence, 0, 1);
        modelVotes = Map.copyOf(modelVotes);
    }
}
