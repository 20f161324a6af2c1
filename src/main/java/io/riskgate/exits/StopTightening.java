package io.riskgate.exits;

import java.time.Instant;

/**
 * How much to tighten trailing stops on an account at an event time (seed 004: in a 5% / 10% / 15% drawdown the
 * stops tighten 1.2x / 1.4x / 1.6x). A factor f divides the trail's distance: a 1 ATR trail at f = 1.2 sits
 * 1,500 / 1.2 = 1,250 behind the best price. The portfolio governor supplies it; until then it is 1.
 */
@FunctionalInterface
public interface StopTightening {

    StopTightening NONE = (account, at) -> 1.0;

    /** A factor of at least 1; anything below 1 (which would loosen a stop) is treated as 1. */
    double factor(String account, Instant at);
}
