package io.riskgate.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A replay's clock: it reads the time of the event being replayed, never the machine's, so a replay of history
 * decides exactly as live trading did at those times. Moved forward only by the replay.
 */
final class EventClock extends Clock {

    private volatile Instant now;

    EventClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock to {@code t} if it is later; it never goes back. */
    void advance(Instant t) {
        if (t.isAfter(now)) {
            now = t;
        }
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
