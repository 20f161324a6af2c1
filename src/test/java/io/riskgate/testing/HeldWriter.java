package io.riskgate.testing;

import io.riskgate.database.GroupCommit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The group commit's writer held inside a unit of its own, as it is while a batch is written and synced: units
 * submitted meanwhile queue for the next batch (they share it), and reads through the writer wait. {@link #release}
 * lets it go on.
 */
public final class HeldWriter implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final GroupCommit.Pending<Object> holding;

    private HeldWriter(GroupCommit commits) {
        CountDownLatch held = new CountDownLatch(1);
        holding = commits.submit(status -> {
            held.countDown();
            await(release);
            return null;
        });
        await(held);
    }

    /** Holds {@code commits}' writer; returns once it is held. */
    public static HeldWriter hold(GroupCommit commits) {
        return new HeldWriter(commits);
    }

    /** Lets the writer go on, and waits until the unit that held it is durable. */
    public void release() {
        release.countDown();
        holding.await();
    }

    @Override
    public void close() {
        if (release.getCount() > 0) {
            release();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the writer was not held within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
