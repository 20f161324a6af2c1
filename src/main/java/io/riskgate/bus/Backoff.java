package io.riskgate.bus;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The bus's loop, outbound and inbound: an attempt, again and again until closed; after a failure a pause that
 * starts at 50 ms and doubles up to a maximum, back to 50 ms after a success. What a success and a failure mean
 * (connected or not, what to log, a connection to drop) is the caller's.
 */
public final class Backoff {

    private Backoff() {
    }

    /** Runs {@code attempt} until {@code closed}: {@code succeeded} after a success, {@code failed} after a failure. */
    public static void loop(BooleanSupplier closed, long maxPauseMillis, Runnable attempt, Runnable succeeded,
                            Consumer<Throwable> failed) {
        long pause = 50;
        while (!closed.getAsBoolean()) {
            try {
                attempt.run();
                succeeded.run();
                pause = 50;
            } catch (RuntimeException | Error e) {
                if (closed.getAsBoolean()) {
                    return;
                }
                failed.accept(e);
                RedisLink.pause(pause);
                pause = Math.min(pause * 2, maxPauseMillis);
            }
        }
    }

    /** Ends a loop's thread, once its {@code closed} says so: woken from its pause, waited for up to 5 s. */
    public static void stop(Thread thread) {
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
