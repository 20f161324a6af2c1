package io.riskgate.portfolio;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The event times of an account's latest decided checks, in all and per strategy, for the order-rate throttle
 * (controls.order_rate): how many checks fell in the window before an event time. At most {@link #KEPT} are kept
 * of each, which bounds a policy's {@code max_checks}; a book read from the store gets its account's latest
 * decisions back.
 */
public final class RecentChecks {

    /** The throttle's code (rules/controls.drl): a check it refused is not counted, here or when a book is read. */
    public static final String THROTTLED = "ORDER_RATE_EXCEEDED";

    /** The most checks a throttle can count, so the most kept. */
    public static final int KEPT = io.riskgate.policy.Controls.MAX_COUNTED_CHECKS;

    private final ArrayDeque<Instant> all = new ArrayDeque<>();
    private final Map<String, ArrayDeque<Instant>> byStrategy = new HashMap<>();

    /** Records a decided check at event time {@code at}, of {@code strategy} (null: none). */
    public void add(Instant at, String strategy) {
        push(all, at);
        if (strategy != null) {
            push(byStrategy.computeIfAbsent(strategy, s -> new ArrayDeque<>()), at);
        }
    }

    /** The account's checks with an event time in ({@code at} - {@code window}, {@code at}]. */
    public int inWindow(Instant at, java.time.Duration window) {
        return count(all, at, window);
    }

    /** The same for the account's checks of {@code strategy}. */
    public int inWindow(Instant at, java.time.Duration window, String strategy) {
        ArrayDeque<Instant> times = strategy == null ? null : byStrategy.get(strategy);
        return times == null ? 0 : count(times, at, window);
    }

    private static void push(ArrayDeque<Instant> times, Instant at) {
        times.addLast(at);
        if (times.size() > KEPT) {
            times.removeFirst();
        }
    }

    private static int count(ArrayDeque<Instant> times, Instant at, java.time.Duration window) {
        Instant from = at.minus(window);
        int n = 0;
        for (Instant t : times) {
            if (t.isAfter(from) && !t.isAfter(at)) {
                n++;
            }
        }
        return n;
    }
}
