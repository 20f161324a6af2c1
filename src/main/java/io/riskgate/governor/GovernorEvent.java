package io.riskgate.governor;

import java.time.Instant;
import java.util.Map;

/**
 * One alert: a change of an account's governor state (a breaker tripped or cleared, the trading state changed,
 * recovery mode entered or left, the weekly target reached, an emergency instruction issued or acknowledged).
 * Stored and streamed to subscribers of {@code GET /api/v1/events}; never one per tick.
 *
 * @param level INFO, WARNING or CRITICAL (seed 002's alert levels)
 * @param id assigned when stored (0 before)
 */
public record GovernorEvent(long id, String account, Instant at, String level, String type, String message,
                            Map<String, Object> data) {

    public GovernorEvent {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    static GovernorEvent of(String account, Instant at, String level, String type, String message,
                            Map<String, Object> data) {
        return new GovernorEvent(0, account, at, level, type, message, data);
    }
}
