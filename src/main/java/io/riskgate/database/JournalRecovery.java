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
        if (batches.isEmpty() && contents.strays().isEmpty()) {
            return new Result(0, 0, contents.tornTail());
        }
        long mark = mark(c, file, batches.size() + contents.strays().size());
        // the frames read in order, then those of the same cycle found after a damaged one: a batch past the mark is
        // replayed from whichever holds it, as long as none is missing
        List<Journal.Batch> missing = java.util.stream.Stream.concat(batches.stream(), contents.strays().stream())
                .filter(b -> b.seq() > mark).sorted(java.util.Comparator.comparingLong(Journal.Batch::seq)).toList();
        if (missing.isEmpty()) {
            return new Result(0, 0, contents.tornTail());
        }
        for (int i = 0; i < missing.size(); i++) {
            if (missing.get(i).seq() != mark + 1 + i) {
                if (contents.strays().stream().anyMatch(b -> b.seq() > mark)) {
                    // a frame of the current cycle after the place the frames stop: the frame there was synced, then
                    // damaged, and it held a batch the database lacks
                    throw new IllegalStateException("the journal " + file + " is damaged at byte " + contents.end()
                            + ": batch " + (mark + 1 + i) + ", which the database lacks (it holds up to " + mark
                            + "), is in no frame that can be read, and batch " + missing.get(i).seq() + " is written "
                            + "after it; riskgate will not start on it (restore the data directory from a backup, or "
                            + "move the journal aside knowingly to lose the batches it holds)");
                }
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
            // batches updating one row. Its likely cause was found later: rows of a batch in flight left in H2's file
            // by a store from another thread, see storeLock. Replaying in the shape H2 accepted live is kept.)
            java.util.Optional<java.util.concurrent.locks.ReentrantLock> lock = storeLock(c);
            for (Journal.Batch b : missing) {
                // as the group commit writes a batch: no other thread stores H2's file until it committed
                lock.ifPresent(java.util.concurrent.locks.ReentrantLock::lock);
                try {
                    replayBatch(c, b);
                } finally {
                    lock.ifPresent(java.util.concurrent.locks.ReentrantLock::unlock);
                }
                writes += b.writes().size();
                replayed = b.seq();
            }
        } catch (SQLException | RuntimeException | Error e) {
            // anything that stops a batch half-way undoes it: the finally below would otherwise commit it, mark-less
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
     * H2's store lock of the file database behind {@code c} (any open connection to it), or empty for a database that
     * is not an H2 file. Whoever holds it keeps every other thread from storing H2's file: H2's background writer
     * and its compaction take it (with a try) before they read the maps they write out, so they store between
     * batches only. H2 stores its maps one after another; a store by that thread while a batch was changing them,
     * followed by a kill -9, once left a row of a batch that had not committed in the file without the record that
     * would have undone it on opening (CrashTest, 2 of 8 runs of 5 kills at one time: a reservation of a decision that was not
     * there, beside a mark that said its batch was not stored). The replay of that batch then collided with it, and
     * a batch never acknowledged would have left it for good. While the writer holds the lock, H2 may still store
     * from the writer's own thread when its unsaved changes grow large: such a store sees the writer's transaction
     * whole, with the records that undo it on opening.
     *
     * <p>The lock is H2's private {@code MVStore.storeLock}, reached by reflection (H2 has no public way to hold
     * it alone: {@code executeFilestoreOperation} also holds a lock H2's own stores from the writing thread wait
     * for, and a batch large enough to start one would never end). An H2 without it refuses to serve a journaled
     * database rather than reopen the hole; JournalTest checks the field is there.
     */
    static java.util.Optional<java.util.concurrent.locks.ReentrantLock> storeLock(Connection c) throws SQLException {
        if (!c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)
                || !(c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()
                        instanceof org.h2.engine.SessionLocal local)
                || local.getDatabase().getStore() == null || !local.getDatabase().isPersistent()) {
            return java.util.Optional.empty();
        }
        if (STORE_LOCK == null) {
            throw new IllegalStateException("this H2 (" + org.h2.engine.Constants.FULL_VERSION + ") has no store lock "
                    + "riskgate can hold while it writes a batch (MVStore.storeLock); without it a crash can leave "
                    + "rows of an uncommitted batch in the file: use the H2 version riskgate is built with");
        }
        try {
            return java.util.Optional.of((java.util.concurrent.locks.ReentrantLock) STORE_LOCK.get(
                    local.getDatabase().getStore().getMvStore()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach H2's store lock: " + e.getMessage(), e);
        }
    }

    /** Returns once H2's serialization and save threads have written every store they were given (H2 files). */
    static void awaitStores(Connection c) throws SQLException {
        if (c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)
                && c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal local
                && local.getDatabase().getStore() != null && local.getDatabase().isPersistent()) {
            local.getDatabase().getStore().getMvStore().executeFilestoreOperation(() -> { });
        }
    }

    /** {@code MVStore.storeLock}, H2's private field, or null when this H2 has none (see {@link #storeLock}). */
    private static final java.lang.reflect.Field STORE_LOCK = storeLockField();

    private static java.lang.reflect.Field storeLockField() {
        try {
            java.lang.reflect.Field f = org.h2.mvstore.MVStore.class.getDeclaredField("storeLock");
            f.setAccessible(true);
            return f.getType() == java.util.concurrent.locks.ReentrantLock.class ? f : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static void syncDatabase(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            // H2's own background store may have taken a batch's pages a moment ago and left them with its
            // serialization and save threads; CHECKPOINT then finds nothing unsaved and does not wait for them, and a
            // sync now would precede their write: the journal emptied after it would hold the only copy of a batch
            // the file does not. Waiting for both threads first (under the store lock) closes that.
            awaitStores(c);
            st.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            throw new IllegalStateException("the database could not sync its file: " + e.getMessage(), e);
        }
    }
}
