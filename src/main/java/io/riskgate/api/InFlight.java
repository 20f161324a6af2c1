package io.riskgate.api;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run at a time per principal: what a principal has running, so a second request of theirs is refused
 * (429) while the first runs rather than queued. A what-if compiles a whole rule base; one principal cannot
 * occupy every core with them. Not a rate limiter: the next one may start as soon as the last has answered.
 */
final class InFlight {

    /** A held slot; closing it (once, any further close does nothing) lets the principal start the next run. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** A slot for {@code principal}, or empty while one of theirs is held. */
    Optional<Slot> enter(String principal) {
        if (!running.add(principal)) {
            return Optional.empty();
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return Optional.of(() -> {
            if (open.compareAndSet(true, false)) {
                running.remove(principal);
            }
        });
    }
}
