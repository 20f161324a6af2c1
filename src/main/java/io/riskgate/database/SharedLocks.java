package io.riskgate.database;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transaction lock processes sharing a PostgreSQL database take: one, so that no two batches can wait for each
 * other in opposite orders (the accounts' own locks are never wanted by two processes at once: AccountVersions).
 *
 * <p>The group commit takes it first in every batch it writes on PostgreSQL and holds it to the commit, so the
 * batches of all processes commit one after another. Under it, what other processes change only in their batches
 * (the audit chain's head, the firm limits' shares, the kill switches) is read once per batch ({@link Batch}), not
 * once per record, and an officer's kill switch, written in a batch too, is either read by a batch or committed
 * after it.
 */
public final class SharedLocks {

    /** The lock's key ("rg-chain" in ASCII: it first guarded the audit chain alone). */
    public static final long CHAIN = 0x72672D636861696EL;

    private SharedLocks() {
    }

    /** The statement that takes {@link #CHAIN} in the current transaction. */
    public static String chainLock() {
        return "SELECT pg_advisory_xact_lock(" + CHAIN + ")";
    }

    /**
     * The statements a batch opens with: waits for a lock in this transaction last at most
     * {@link AccountVersions#LOCK_WAIT} (a process stalled in its batch makes the others fail closed, not hang), then
     * the lock.
     */
    static String batchLock() {
        return "SET LOCAL lock_timeout = '" + AccountVersions.LOCK_WAIT.toMillis() + "ms'; " + chainLock();
    }

    /** The batch being written on this thread under the lock, with what was read under it; null when none. */
    public static Batch current() {
        return (Batch) TransactionSynchronizationManager.getResource(SharedLocks.class);
    }

    /** One batch's transaction, holding the lock: values read once under it. */
    public static final class Batch {
        private final Map<String, Object> read = new HashMap<>();

        Batch() {
        }

        /** What {@code reader} read under this batch's lock the first time {@code key} was asked for. */
        @SuppressWarnings("unchecked")
        public <T> T once(String key, Supplier<T> reader) {
            return (T) read.computeIfAbsent(key, k -> reader.get());
        }

        /** Binds a new batch to the writer's thread; {@link #close} unbinds it. */
        static Batch open() {
            Batch b = new Batch();
            TransactionSynchronizationManager.bindResource(SharedLocks.class, b);
            return b;
        }

        void close() {
            TransactionSynchronizationManager.unbindResourceIfPossible(SharedLocks.class);
        }
    }
}
