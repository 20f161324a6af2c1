package io.riskgate.database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Acknowledged means durable: every write riskgate answers for goes through here, and {@link #execute} returns only
 * once the write is on disk.
 *
 * <p>One writer thread takes the units of work waiting (from every account and caller), runs them in <em>one</em>
 * transaction, each inside a savepoint of its own, commits, makes the commit durable, and only then completes each
 * caller. While it writes and syncs, the next callers queue: the busier the service, the more units share one fsync.
 *
 * <p>An H2 file is made durable by the {@link Journal}: the batch's write statements, recorded as they ran
 * ({@link RecordingDataSource}), are appended to the journal beside the database and fsynced; H2 writes its own
 * file in its own time, and about once a second the writer has it sync ({@code CHECKPOINT}, {@code CHECKPOINT
 * SYNC}) and empties the journal. The batch's number goes into {@code journal_mark} in the batch's transaction, so
 * after a crash {@link JournalRecovery} replays exactly the batches H2 had not stored. One fsync of an append
 * replaces writing and syncing an H2 chunk per batch (architecture.md, "Durability").
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

    /** How a committed batch is made durable: nothing more to do, or a journal append. */
    public enum Durability {
        /** The database's commit is durable by itself (an in-memory database has no disk to reach). */
        COMMIT,
        /** H2 file database: the batch's writes appended to the journal beside it and fsynced. */
        JOURNAL;

        /** The durability a JDBC URL's database needs. */
        public static Durability of(String url) {
            return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:") ? JOURNAL : COMMIT;
        }
    }

    /** H2 syncs its file and the journal is emptied at least this often while there are writes ... */
    static final long CHECKPOINT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /** ... or once the journal holds this many bytes. */
    static final long CHECKPOINT_BYTES = 64L * 1024 * 1024;

    /**
     * What happens when a committed batch cannot be made durable: the process halts (exit status 70), leaving its
     * callers without an answer. Tests replace it to see the refusal instead.
     */
    static volatile Runnable onDurabilityLost = () -> Runtime.getRuntime().halt(70);

    /** At most this many units share one transaction, so that one batch's memory and latency stay bounded. */
    public static final int MAX_BATCH = 1_000;

    /**
     * Units an inline batch holds: H2's commit of a transaction costs more per change the more it holds, so a
     * replay commits every 32 units (ReplayBenchmark.checks, 2 forks: about 4,000 checks/s with a transaction per
     * unit or 1,000 units a batch, 4,780 with 16 or 64).
     */
    static final int INLINE_BATCH = 32;

    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final Journal journal;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong units = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile boolean closed;
    private volatile RuntimeException broken;
    private TransactionStatus current;
    // inline only, the replaying thread's own: the open batch, its units so far, whether one is running now
    private Thread inlineThread;
    private TransactionStatus inlineBatch;
    private int inlineUnits;
    private boolean inUnit;
    // the writer's own: the running unit's writes, the batch's, the last journaled batch's number, the last sync
    private List<Journal.Write> unitWrites;
    private final List<Journal.Write> batchWrites = new ArrayList<>();
    private long seq;
    private long lastCheckpoint = System.nanoTime();
    private final long checkpointNanos;
    /** Units run on the caller's thread ({@link #inline}). */
    private final boolean inline;
    /** Other processes may write the database (PostgreSQL): each batch takes {@link SharedLocks#CHAIN} first. */
    private final boolean shared;

    /**
     * A group commit whose commits are durable by themselves ({@link Durability#COMMIT}); a journaled one comes from
     * {@link #forDatabase}, which opens its journal.
     */
    public GroupCommit(DataSource dataSource, Durability durability) {
        this(dataSource, withoutJournal(durability), CHECKPOINT_NANOS);
    }

    /** No journal: only for {@link Durability#COMMIT}. */
    private static Journal withoutJournal(Durability durability) {
        if (durability != Durability.COMMIT) {
            throw new IllegalArgumentException("a journaled group commit needs its journal: GroupCommit.forDatabase");
        }
        return null;
    }

    private GroupCommit(DataSource dataSource, Journal journal, long checkpointNanos) {
        this(dataSource, journal, checkpointNanos, false);
    }

    /**
     * Writes on the caller's thread, with no writer thread: for one thread replaying history on an in-memory database
     * no one else uses (a replay), where there is no disk to reach and the hand-off to a writer would be most of the
     * cost. Units share batches as the writer's do (each under its own savepoint), and the thread's reads between
     * units join the open batch. Only the thread that runs the first unit may run others, and it closes them. A unit
     * returns before its batch commits: nothing here outlives the process anyway. Not for a service's database.
     */
    public static GroupCommit inline(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getMetaData().getURL().startsWith("jdbc:h2:mem:")) {
                throw new IllegalArgumentException("inline commits are for an in-memory database, not "
                        + c.getMetaData().getURL());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database: " + e.getMessage(), e);
        }
        return new GroupCommit(dataSource, null, CHECKPOINT_NANOS, true);
    }

    private GroupCommit(DataSource dataSource, Journal journal, long checkpointNanos, boolean inline) {
        this.inline = inline;
        this.shared = !inline && Dialect.of(dataSource) == Dialect.POSTGRESQL;
        this.dataSource = dataSource;
        this.journal = journal;
        this.checkpointNanos = checkpointNanos;
        RecordingDataSource recorded = new RecordingDataSource(dataSource, new RecordingDataSource.Recorder() {
            @Override
            public boolean recording() {
                return unitWrites != null && Thread.currentThread() == writer;
            }

            @Override
            public void record(String sql, Object[] parameters) {
                for (Object p : parameters) {
                    if (!Journal.recordable(p)) {
                        throw new IllegalArgumentException("the journal cannot record a parameter of type "
                                + p.getClass().getName() + " (in " + sql + ")");
                    }
                }
                unitWrites.add(new Journal.Write(sql, java.util.Arrays.asList(parameters)));
            }
        });
        // without a journal nothing needs the writes recorded, and the proxies cost a reflective call per JDBC call
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(journal == null ? dataSource : recorded));
        this.seq = journal == null ? 0 : new JdbcTemplate(dataSource).queryForObject(
                "SELECT seq FROM journal_mark WHERE id = 1", Long.class);
        this.writer = new Thread(this::writeLoop, "riskgate-group-commit");
        writer.setDaemon(true);
        if (!inline) {
            writer.start();
        }
    }

    /**
     * A group commit for the database behind {@code dataSource}, its durability read from the connection's URL: an
     * H2 file gets the journal beside it (the schema must be migrated and {@link JournalRecovery} run first).
     */
    public static GroupCommit forDatabase(DataSource dataSource) {
        return forDatabase(dataSource, java.time.Duration.ofNanos(CHECKPOINT_NANOS));
    }

    /** As {@link #forDatabase(DataSource)}, H2 syncing its file and the journal emptied every {@code checkpoints}. */
    static GroupCommit forDatabase(DataSource dataSource, java.time.Duration checkpoints) {
        String url;
        String path = null;
        try (Connection c = dataSource.getConnection()) {
            url = c.getMetaData().getURL();
            if (Durability.of(url) == Durability.JOURNAL) {
                path = JournalRecovery.databasePath(c);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database: " + e.getMessage(), e);
        }
        if (path == null) {
            return new GroupCommit(dataSource, Durability.COMMIT);
        }
        Journal journal = Journal.open(Journal.besideDatabase(path));
        if (journal.fileSize() > 0) {
            journal.close();
            throw new IllegalStateException("the journal " + journal.file() + " holds batches not yet replayed: open "
                    + "the database through RiskgateRuntime.migrate, which replays them first");
        }
        return new GroupCommit(dataSource, journal, checkpoints.toNanos());
    }

    /** The journal's file, for an H2 file database. */
    public java.util.Optional<java.nio.file.Path> journalFile() {
        return java.util.Optional.ofNullable(journal).map(Journal::file);
    }

    /**
     * Runs {@code action} in the next batch's transaction and returns its result once the batch is durable. Throws
     * what the action threw (its own changes rolled back), or the batch's failure.
     */
    @Override
    public <T> T execute(TransactionCallback<T> action) {
        return submit(action).await();
    }

    /**
     * A unit handed to the writer without waiting for it: {@link Pending#await} later returns its result once its
     * batch is durable. A caller with several units to write (a mark's accounts) hands them all over first, so that
     * they share a batch, then waits for each. On the replaying thread, or on the writer, the unit runs at once.
     */
    public <T> Pending<T> submit(TransactionCallback<T> action) {
        if (inline || Thread.currentThread() == writer) {
            return Pending.now(() -> execute0(action));
        }
        if (closed) {
            throw new IllegalStateException("the database writer is closed");
        }
        if (broken != null) {
            throw broken;
        }
        Unit<T> unit = new Unit<>(action);
        queue.add(unit);
        return () -> await(unit);
    }

    /** A unit handed to the writer: {@link #await} gives its result once durable, or throws its failure. */
    @FunctionalInterface
    public interface Pending<T> {
        T await();

        /** {@code work} run now, its result or failure kept for {@link #await}. */
        static <T> Pending<T> now(java.util.function.Supplier<T> work) {
            try {
                T result = work.get();
                return () -> result;
            } catch (RuntimeException e) {
                return () -> {
                    throw e;
                };
            } catch (Error e) {
                return () -> {
                    throw e;
                };
            }
        }
    }

    /** The unit at once: on the replaying thread, or joining the batch's transaction on the writer. */
    private <T> T execute0(TransactionCallback<T> action) {
        if (inline) {
            return executeInline(action);
        }
        return action.doInTransaction(current);
    }

    /**
     * Waits for the unit's outcome, through an interrupt too (kept for the caller): a caller holds an account's lock
     * while it waits, and a lock released before the outcome is known would let the account's next use read the store
     * without the unit in it (a mark would link a trade's next instruction past one still to commit).
     */
    private <T> T await(Unit<T> unit) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return unit.done.get(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    // queued just as close() let the writer end: nobody will write it
                    if (!writer.isAlive() && queue.remove(unit)) {
                        throw new IllegalStateException("the database writer is closed");
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A unit on the replaying thread: in the open batch's transaction under a savepoint of its own, as the writer
     * runs units, so a failing unit undoes only its own writes. The batch stays open between units, so that the
     * thread's reads join it and see every write before it; it commits every {@link #INLINE_BATCH} units and at
     * {@link #close}. A unit asking for a transaction joins the batch's.
     */
    private <T> T executeInline(TransactionCallback<T> action) {
        if (closed) {
            throw new IllegalStateException("the database writer is closed");
        }
        if (inlineThread == null) {
            inlineThread = Thread.currentThread();
        } else if (inlineThread != Thread.currentThread()) {
            throw new IllegalStateException("inline commits belong to the thread " + inlineThread.getName());
        }
        if (inUnit) {
            return action.doInTransaction(inlineBatch);
        }
        if (inlineBatch == null) {
            inlineBatch = tx.getTransactionManager().getTransaction(TransactionDefinition.withDefaults());
        }
        Object savepoint = inlineBatch.createSavepoint();
        inUnit = true;
        T result;
        try {
            result = action.doInTransaction(inlineBatch);
            inlineBatch.releaseSavepoint(savepoint);
        } catch (RuntimeException | Error e) {
            try {
                inlineBatch.rollbackToSavepoint(savepoint);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            unitEnded(e);
            throw e;
        }
        unitEnded(null);
        return result;
    }

    /** After an inline unit: counted, and the batch committed when full (the unit's own failure kept first). */
    private void unitEnded(Throwable failed) {
        inUnit = false;
        units.incrementAndGet();
        if (++inlineUnits < INLINE_BATCH) {
            return;
        }
        try {
            commitInline();
        } catch (RuntimeException e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
        }
    }

    /** Commits the open inline batch, if there is one, and unbinds it from the thread. */
    private void commitInline() {
        TransactionStatus batch = inlineBatch;
        if (batch == null) {
            return;
        }
        inlineBatch = null;
        inlineUnits = 0;
        batches.incrementAndGet();
        tx.getTransactionManager().commit(batch);
        durableListeners.forEach(Runnable::run);
    }

    private final java.util.List<Runnable> durableListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Runs {@code listener} on the writer after each batch is durable (journal synced on H2, committed on
     * PostgreSQL), before its callers are answered: what a batch wrote is visible to other connections from its
     * commit, which on H2 comes before the journal's sync, so a reader that must not see what a crash could still
     * take back (the bus's publisher) waits for this.
     */
    public void afterDurable(Runnable listener) {
        durableListeners.add(listener);
    }

    /**
     * Returns once everything committed before the call is durable: what a reader read on its own connection may be
     * a batch H2 has committed but whose journal is not yet synced. With a journal, an empty unit goes through the
     * writer, which answers it only after every earlier batch's sync; a database whose commits are durable by
     * themselves (PostgreSQL, in memory) needs no wait.
     */
    public void awaitDurable() {
        if (journal != null && !inUnit()) {
            execute(status -> null);
        }
    }

    /** Whether the calling thread runs a unit now (the writer, or the inline thread inside one). */
    public boolean inUnit() {
        return inline ? Thread.currentThread() == inlineThread && inUnit
                : Thread.currentThread() == writer && current != null;
    }

    /** Whether units run on the caller's thread ({@link #inline}). */
    public boolean inline() {
        return inline;
    }

    /** Batches committed so far. */
    public long batches() {
        return batches.get();
    }

    /** Units committed or refused so far. */
    public long units() {
        return units.get();
    }

    /** Times H2 synced its file and the journal was emptied. */
    public long checkpoints() {
        return checkpoints.get();
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
        if (inline) {
            if (inlineThread == Thread.currentThread()) {
                commitInline();
            }
            return;
        }
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
                Unit<?> first = queue.poll(Math.min(checkpointNanos, CHECKPOINT_NANOS),
                        java.util.concurrent.TimeUnit.NANOSECONDS);
                if (first == null) {
                    checkpoint(false);
                    continue;
                }
                batch.add(first);
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
            checkpoint(false);
        }
        checkpoint(true);
        if (journal != null) {
            journal.close();
        }
    }

    /** The marker close() queues: the units before it are written, then the writer ends. */
    private static final Unit<Void> STOP = new Unit<>(status -> null);

    private void write(List<Unit<?>> batch) {
        batchWrites.clear();
        try {
            if (broken != null) {
                throw broken;
            }
            tx.executeWithoutResult(status -> {
                current = status;
                holdStoreUntilCompletion();
                SharedLocks.Batch locked = null;
                try {
                    if (shared) {
                        // processes sharing the database commit their batches one after another (SharedLocks)
                        new JdbcTemplate(dataSource).execute(SharedLocks.batchLock());
                        locked = SharedLocks.Batch.open();
                    }
                    for (Unit<?> u : batch) {
                        u.run(status, this);
                    }
                    if (status.isRollbackOnly()) {
                        // Spring would roll the batch back without a word, and every caller would be told it was
                        // written (and the journal given writes H2 does not hold): the whole batch fails instead
                        throw new IllegalStateException("a unit marked the batch's transaction rollback-only");
                    }
                    if (journal != null && !batchWrites.isEmpty()) {
                        // in the batch's transaction: after a crash, H2 holds this batch exactly when it holds this
                        new JdbcTemplate(dataSource).update("UPDATE journal_mark SET seq = ? WHERE id = 1", seq + 1);
                    }
                } finally {
                    current = null;
                    if (locked != null) {
                        locked.close();
                    }
                }
            });
            journal(batch.size());
            durableListeners.forEach(Runnable::run);
        } catch (RuntimeException | Error e) {
            IllegalStateException failure = new IllegalStateException(
                    "the database did not commit a batch of " + batch.size() + " writes: " + e.getMessage(), e);
            batch.forEach(u -> u.done.completeExceptionally(failure));
            return;
        } finally {
            batchWrites.clear();
            batches.incrementAndGet();
            units.addAndGet(batch.size());
        }
        batch.forEach(Unit::complete);
    }

    /**
     * For a journaled H2 file, takes H2's store lock ({@link JournalRecovery#storeLock}) through the batch's own
     * connection and keeps it until the transaction has committed or rolled back: no other thread stores H2's file
     * while the batch is written. Taken inside the transaction, so no connection is opened while it is held.
     */
    private void holdStoreUntilCompletion() {
        if (journal == null) {
            return;
        }
        java.util.Optional<java.util.concurrent.locks.ReentrantLock> lock;
        try {
            // the batch's connection, bound to its transaction
            lock = JournalRecovery.storeLock(org.springframework.jdbc.datasource.DataSourceUtils
                    .getConnection(dataSource));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database's store: " + e.getMessage(), e);
        }
        if (lock.isEmpty()) {
            return;
        }
        if (!org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("a batch runs without transaction synchronization: H2's store lock could "
                    + "not be released when it completes");
        }
        java.util.concurrent.locks.ReentrantLock held = lock.get();
        held.lock();
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        held.unlock();
                    }
                });
    }

    /** Appends the committed batch's writes to the journal and syncs it; on failure nothing more is written. */
    private void journal(int size) {
        if (journal == null || batchWrites.isEmpty()) {
            return;
        }
        try {
            journal.append(new Journal.Batch(seq + 1, batchWrites));
            seq++;
        } catch (IOException | RuntimeException | Error e) {
            // (an Error too: an OutOfMemoryError while the frame is encoded leaves the batch as unknown as a failed
            // write, and must not reach write()'s handler, which would tell its callers it was not committed)
            // H2 has committed the batch in memory (others may read it, H2 may yet write it) but the disk does not
            // hold it: its outcome is unknown, so no caller may be told anything. The process stops here, as a
            // database stops on a failed fsync; the restart starts from what is durable.
            try {
                broken = new IllegalStateException("the journal " + journal.file() + " could not be written ("
                        + e.getMessage() + "); riskgate stops", e);
                org.slf4j.LoggerFactory.getLogger(GroupCommit.class).error("durability lost: {}", broken.getMessage(),
                        e);
            } finally {
                // even when the message or the log fails too (memory still short): the halt must come first
                onDurabilityLost.run();
            }
            throw broken;
        }
    }

    /**
     * Has H2 write and sync everything committed, then starts the journal's next cycle (empties it when {@code
     * force}d, at the writer's end): when forced, when the cycle is large, or when the last sync is a second old.
     */
    private void checkpoint(boolean force) {
        if (journal == null || broken != null
                || journal.size() == 0 && !(force && journal.fileSize() > 0)) {
            return; // nothing new since the last checkpoint (at a stop, a journal already emptied)
        }
        long now = System.nanoTime();
        if (!force && now - lastCheckpoint < checkpointNanos && journal.size() < CHECKPOINT_BYTES) {
            return;
        }
        try {
            JournalRecovery.syncDatabase(dataSource);
            if (force) {
                journal.clear(); // a stop leaves no journal to replay
            } else {
                journal.rewind(); // the next cycle writes over this one's space (Journal: why)
            }
            lastCheckpoint = now;
            checkpoints.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            broken = new IllegalStateException("the database could not sync its file (" + e.getMessage()
                    + "); riskgate refuses every write until it is restarted", e);
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

        void run(TransactionStatus status, GroupCommit commits) {
            Object savepoint = status.createSavepoint();
            commits.unitWrites = new ArrayList<>();
            try {
                result = action.doInTransaction(status);
                status.releaseSavepoint(savepoint);
                commits.batchWrites.addAll(commits.unitWrites);
            } catch (RuntimeException | Error e) {
                // its writes are undone, so they are not journaled either
                status.rollbackToSavepoint(savepoint);
                failure = e;
            } finally {
                commits.unitWrites = null;
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
