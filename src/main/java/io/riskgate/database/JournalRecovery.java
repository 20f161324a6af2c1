package io.riskgate.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings an H2 file database up to its journal before anything reads it (and before the schema migrations, since
 * the journal's statements were written against the schema as it was): the batches past {@code journal_mark} are
 * the ones that were acknowledged but not yet in H2's file when the process ended; they are run again, in order, each
 * batch in a transaction of its own with the mark moved to it (the shape each had when it was first committed), then
 * H2 syncs and the journal is emptied. A recovery cut short resumes from the last batch it committed.
 *
 * <p>It refuses to start (an exception naming the file) on a damaged journal, on a gap between the database's mark
 * and the journal's first batch past it, or on a journal beside a database without a mark: each means batches that
 * were acknowledged cannot be brought back, and serving on would hide it.
 */
public final class JournalRecovery {

    private static final Logger log = LoggerFactory.getLogger(JournalRecovery.class);

    private JournalRecovery() {
    }

    /** What a recovery did: the batches and writes replayed, and whether a cut-short last frame was dropped. */
    public record Result(int batches, int writes, boolean tornTail) {
        static final Result NOTHING = new Result(0, 0, false);
    }

    /** Replays the journal beside the H2 file database behind {@code dataSource}, if it has one with batches. */
    public static Result recover(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (GroupCommit.Durability.of(c.getMetaData().getURL()) != GroupCommit.Durability.JOURNAL) {
                return Result.NOTHING;
            }
            Path file = Journal.besideDatabase(databasePath(c));
            if (!Files.exists(file) || Files.size(file) == 0) {
                return Result.NOTHING;
            }
            Journal journal;
            try {
                journal = Journal.open(file);
            } catch (java.nio.channels.OverlappingFileLockException live) {
                // this JVM's own group commit writes the database now: H2 holds every batch it journaled
                return Result.NOTHING;
            }
            Result result;
            try (Journal j = journal) {
                result = replay(c, file, Journal.read(file));
                syncDatabase(dataSource);
                j.clear();
            }
            if (result.batches() > 0 || result.tornTail()) {
                log.info("journal {}: replayed {} batches ({} writes) the database had not stored{}", file,
                        result.batches(), result.writes(),
                        result.tornTail() ? "; dropped a last batch cut short, never acknowledged" : "");
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot replay the journal: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static Result replay(Connection c, Path file, Journal.Contents contents) throws SQLException {
        List<Journal.Batch> batches = contents.batches();
        if (batches.isEmpty()) {
            return new Result(0, 0, contents.tornTail());
        }
        long mark = mark(c, file, batches.size());
        List<Journal.Batch> missing = batches.stream().filter(b -> b.seq() > mark).toList();
        if (missing.isEmpty()) {
            return new Result(0, 0, contents.tornTail());
        }
        for (int i = 0; i < missing.size(); i++) {
            if (missing.get(i).seq() != mark + 1 + i) {
                throw new IllegalStateException("the journal " + file + " holds batch " + missing.get(i).seq()
                        + " where batch " + (mark + 1 + i) + " was expected (the database holds up to " + mark
                        + "): acknowledged batches are in neither; riskgate will not start on it");
            }
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        int writes = 0;
        long replayed = mark;
        try {
            // one transaction per batch, as when it was first committed: a batch is all or nothing with its mark.
            // (A CI run's BusCrashTest once saw H2 refuse a replay of many batches in one transaction, "Row not found
            // when trying to delete from index" on a trade's row; not reproduced since, nor by JournalTest's 300
            // batches updating one row, so its cause is not known: replaying in the shape H2 accepted live is the
            // safer of the two.)
            for (Journal.Batch b : missing) {
                try {
                    // as the group commit writes a batch: H2 stores nothing of it until it committed
                    withoutStores(c, () -> {
                        try {
                            replayBatch(c, b);
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                } catch (IllegalStateException e) {
                    if (e.getCause() instanceof SQLException sql) {
                        throw sql;
                    }
                    throw e;
                }
                writes += b.writes().size();
                replayed = b.seq();
            }
        } catch (SQLException e) {
            c.rollback();
            throw new IllegalStateException("the journal " + file + " could not be replayed (" + e.getMessage()
                    + "); the database holds batches up to " + replayed + " of " + missing.get(missing.size() - 1)
                    .seq() + " and riskgate will not start on it", e);
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return new Result(missing.size(), writes, contents.tornTail());
    }

    /** One batch's writes and its mark, committed together. */
    private static void replayBatch(Connection c, Journal.Batch b) throws SQLException {
        for (Journal.Write w : b.writes()) {
            try (PreparedStatement ps = c.prepareStatement(w.sql())) {
                for (int i = 0; i < w.parameters().size(); i++) {
                    ps.setObject(i + 1, w.parameters().get(i));
                }
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE journal_mark SET seq = ? WHERE id = 1")) {
            ps.setLong(1, b.seq());
            ps.executeUpdate();
        }
        c.commit();
    }

    private static long mark(Connection c, Path file, int batches) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM journal_mark WHERE id = 1")) {
            if (!rs.next()) {
                throw new SQLException("journal_mark has no row");
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("the journal " + file + " holds " + batches + " batches but the database "
                    + "beside it has no journal mark (" + e.getMessage() + "): was the journal copied from another "
                    + "database? riskgate will not start on it", e);
        }
    }

    /** The H2 database's file path without its extension, as H2 reports it; null for an in-memory database. */
    static String databasePath(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DATABASE_PATH()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * H2 writes what it holds in memory to its file ({@code CHECKPOINT}) and fsyncs it ({@code CHECKPOINT SYNC}
     * alone only syncs what was written before it).
     */
    /**
     * After the schema migrations, before anything is journaled: an H2 file database that a journal will cover has
     * its migrations (the {@code journal_mark} row among them) synced to its file. Otherwise H2, which syncs in the
     * background, could lose them to a kill in its first second, and the journal written next would find no mark to
     * replay after (a CI run's CrashTest saw "journal_mark has no row"; JournalTest copies the file right after
     * the migrations while the database is open: without this sync the copy did not even hold the table).
     */
    public static void syncAfterMigration(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (GroupCommit.Durability.of(c.getMetaData().getURL()) != GroupCommit.Durability.JOURNAL) {
                return;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's address: " + e.getMessage(), e);
        }
        syncDatabase(dataSource);
    }

    /**
     * Runs {@code work} (a batch's transaction, from its first write to its commit) while H2 cannot store its file:
     * under the store's own lock ({@link #storeLock}), which H2's background writer and its compaction take before
     * they read the maps they store. H2 stores its maps one
     * after another; a store while a batch was changing them, followed by a kill -9, once left a row of a batch that
     * had not committed in the file without the record that would have undone it on opening (CrashTest, 2 of 4
     * runs at one time: a reservation of a decision that was not there, beside a mark that said its batch was not
     * stored). The replay of that batch then collided with it, and a batch never acknowledged would have left it
     * for good. Between batches H2 stores as it always does. {@code c} is any open connection to the database; a
     * database that is not an H2 file runs {@code work} as it is.
     */
    static void withoutStores(Connection c, Runnable work) throws SQLException {
        org.h2.mvstore.MVStore store = null;
        if (c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)
                && c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal local
                && local.getDatabase().getStore() != null && local.getDatabase().isPersistent()) {
            store = local.getDatabase().getStore().getMvStore();
        }
        if (store == null) {
            work.run();
            return;
        }
        java.util.concurrent.locks.ReentrantLock lock = storeLock(store);
        if (lock != null) {
            lock.lock();
            try {
                work.run();
            } finally {
                lock.unlock();
            }
            return;
        }
        // H2 treats its own exceptions escaping the operation as a fault of the store: the work's are carried out
        RuntimeException[] failed = new RuntimeException[1];
        store.executeFilestoreOperation(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    /** {@code MVStore.storeLock}, H2's private field, when this H2 has it: see {@link #storeLock(MVStore)}. */
    private static final java.lang.reflect.Field STORE_LOCK = storeLockField();

    private static java.lang.reflect.Field storeLockField() {
        try {
            java.lang.reflect.Field f = org.h2.mvstore.MVStore.class.getDeclaredField("storeLock");
            f.setAccessible(true);
            return f.getType() == java.util.concurrent.locks.ReentrantLock.class ? f : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("H2's store lock is not reachable ({}): each batch waits for H2's stores under way to be written "
                    + "out instead", e.toString());
            return null;
        }
    }

    /**
     * The lock every H2 store takes before it reads the maps it writes out. Held, it is all {@link #withoutStores}
     * needs: a store already under way writes out what it read before, and none starts. H2's public way to hold it
     * ({@code executeFilestoreOperation}) also waits for every store under way to reach the file, which cost the
     * writer a tenth of its time in MarkBenchmark; it is the fallback when an H2 without this field is on the class
     * path (the field is H2 2.3's, checked by JournalTest).
     */
    static java.util.concurrent.locks.ReentrantLock storeLock(org.h2.mvstore.MVStore store) {
        if (STORE_LOCK == null) {
            return null;
        }
        try {
            return (java.util.concurrent.locks.ReentrantLock) STORE_LOCK.get(store);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    static void syncDatabase(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            st.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new IllegalStateException("the database could not sync its file: " + e.getMessage(), e);
        }
    }
}
