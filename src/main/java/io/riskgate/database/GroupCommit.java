package io.riskgate.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Acknowledged means durable: every write riskgate answers for goes through here, and {@link #execute} returns only
 * once the write is on disk.
 *
 * <p>One writer thread takes the units of work waiting (from every account and caller), runs them in <em>one</em>
 * transaction, each inside a savepoint of its own, commits, makes the commit durable (H2 file: {@code CHECKPOINT},
 * which writes the store's pending chunk, then {@code CHECKPOINT SYNC}, which fsyncs the file), and only then
 * completes each caller. While it
 * writes and syncs, the next callers queue: the busier the service, the more units share one fsync.
 *
 * <ul>
 *   <li>A unit that throws is rolled back to its savepoint and its caller gets the exception; the other units of the
 *       batch are committed as if it had never run.</li>
 *   <li>If the commit or the sync fails, every caller of the batch gets the failure: nothing of the batch was
 *       acknowledged. A refused commit rolls the whole batch back; a failed sync after a commit leaves H2's store
 *       unusable (it closes itself on a write error), so every later write fails too, closed, until a restart
 *       reads the last durable state.</li>
 *   <li>Callers keep their account's lock while they wait, so a later decision on the same account never builds on
 *       one that is not yet durable; different accounts share batches.</li>
 *   <li>A unit that itself asks for a transaction (on the writer thread) joins the batch's transaction.</li>
 * </ul>
 *
 * <p>Units run on the writer thread, not the caller's: they must not wait for anything a caller holds (an account
 * lock), and they see the caller's objects through the hand-over of the queue and the completed future.
 */
public final class GroupCommit implements TransactionOperations, AutoCloseable {

    /** How a committed batch is made durable: nothing more to do, or a statement run after the commit. */
    public enum Durability {
        /** The database's commit is durable by itself (an in-memory database has no disk to reach). */
        COMMIT,
        /** H2 file database: {@code CHECKPOINT} writes what was committed, {@code CHECKPOINT SYNC} fsyncs it. */
        H2_CHECKPOINT_SYNC;

        /** The durability a JDBC URL's database needs. */
        public static Durability of(String url) {
            return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")
                    ? H2_CHECKPOINT_SYNC : COMMIT;
        }
    }

    /** At most this many units share one transaction, so that one batch's memory and latency stay bounded. */
    public static final int MAX_BATCH = 1_000;

    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final Durability durability;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong units = new AtomicLong();
    private volatile boolean closed;
    private TransactionStatus current;

    public GroupCommit(DataSource dataSource, Durability durability) {
        this.dataSource = dataSource;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.durability = durability;
        this.writer = new Thread(this::writeLoop, "riskgate-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** A group commit for the database behind {@code dataSource}, its durability read from the connection's URL. */
    public static GroupCommit forDatabase(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return new GroupCommit(dataSource, Durability.of(c.getMetaData().getURL()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code action} in the next batch's transaction and returns its result once the batch is durable. Throws
     * what the action threw (its own changes rolled back), or the batch's failure.
     */
    @Override
    public <T> T execute(TransactionCallback<T> action) {
        if (Thread.currentThread() == writer) {
            // a unit asking for a transaction joins the batch's
            return action.doInTransaction(current);
        }
        if (closed) {
            throw new IllegalStateException("the database writer is closed");
        }
        Unit<T> unit = new Unit<>(action);
        queue.add(unit);
        try {
            while (true) {
                try {
                    return unit.done.get(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    // queued just as close() let the writer end: nobody will write it
                    if (!writer.isAlive() && queue.remove(unit)) {
                        throw new IllegalStateException("the database writer is closed");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the unit may still commit: the caller must treat the outcome as unknown, as for any lost answer
            throw new IllegalStateException("interrupted while waiting for the database writer", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Batches committed so far. */
    public long batches() {
        return batches.get();
    }

    /** Units committed or refused so far. */
    public long units() {
        return units.get();
    }

    /**
     * Stops taking work; what is queued is still written before the writer ends. The writer is told by a marker in
     * its queue, never interrupted: an interrupt during a write would close H2's file channel under it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<Unit<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping || !queue.isEmpty()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // not how the writer is stopped (close() queues STOP): go on writing
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping |= batch.remove(STOP);
            if (!batch.isEmpty()) {
                write(batch);
            }
            batch.clear();
        }
    }

    /** The marker close() queues: the units before it are written, then the writer ends. */
    private static final Unit<Void> STOP = new Unit<>(status -> null);

    private void write(List<Unit<?>> batch) {
        try {
            tx.executeWithoutResult(status -> {
                current = status;
                try {
                    for (Unit<?> u : batch) {
                        u.run(status);
                    }
                } finally {
                    current = null;
                }
            });
            makeDurable();
        } catch (RuntimeException | Error e) {
            IllegalStateException failure = new IllegalStateException(
                    "the database did not commit a batch of " + batch.size() + " writes: " + e.getMessage(), e);
            batch.forEach(u -> u.done.completeExceptionally(failure));
            return;
        } finally {
            batches.incrementAndGet();
            units.addAndGet(batch.size());
        }
        batch.forEach(Unit::complete);
    }

    private void makeDurable() {
        if (durability == Durability.H2_CHECKPOINT_SYNC) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                // CHECKPOINT writes what the store holds in memory (the batch's rows and its commit) to the file;
                // CHECKPOINT SYNC alone only fsyncs what was written before it
                s.execute("CHECKPOINT");
                s.execute("CHECKPOINT SYNC");
            } catch (SQLException e) {
                throw new IllegalStateException("the database could not sync its commit to disk: " + e.getMessage(), e);
            }
        }
    }

    /** One caller's work, its result or failure, and the future the caller waits on. */
    private static final class Unit<T> {
        final TransactionCallback<T> action;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;

        Unit(TransactionCallback<T> action) {
            this.action = action;
        }

        void run(TransactionStatus status) {
            Object savepoint = status.createSavepoint();
            try {
                result = action.doInTransaction(status);
                status.releaseSavepoint(savepoint);
            } catch (RuntimeException | Error e) {
                status.rollbackToSavepoint(savepoint);
                failure = e;
            }
        }

        void complete() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(result);
            }
        }
    }
}
