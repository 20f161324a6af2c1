package io.riskgate.database;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several riskgate processes on one PostgreSQL database, each with the books of the accounts it serves in memory
 * (docs/architecture.md, "Several instances"). Two mechanisms, one for fairness and one for correctness:
 * <ol>
 *   <li><b>The account's lock across processes</b> ({@link #hold}): a session advisory lock on the account, taken
 *       after the account's lock in the process and held until its work is decided and durably written. PostgreSQL
 *       grants it in the order asked, so processes take turns on a busy account instead of one starving the other.
 *       Taken, it tells the account's stored version: a book at another version is read again before use.</li>
 *   <li><b>The version, compared by every write</b> ({@link #advance}): every account carries a version
 *       ({@code account_version}), and every write to its state moves it on by one, in the write's own transaction,
 *       only from the version the book was read or last written at. Should the lock have been lost without the
 *       process knowing (its session cut), a write decided on a book another process has moved on since finds another
 *       version and fails ({@link Stale}) before anything of it commits; the work is then decided again on what is
 *       stored ({@code Portfolio.withAccount}). So two processes can never both take the last of a limit.</li>
 * </ol>
 * The compare-and-set is one statement: {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE version = expected}. It
 * locks the account's row until the batch commits, so a second process's write on the same account waits for the
 * first's outcome and then sees the version it left (READ COMMITTED re-reads the locked row).
 *
 * <p>The locks are held on connections of the service's pool, at most half of it at once (more accounts wait for a
 * turn), so the group commit and the reads of books always find a connection.
 *
 * <p>On H2 there is nothing to lock or compare ({@link #NONE}): one process opens an H2 file at a time.
 */
public final class AccountVersions {

    /** One process, nothing to lock or compare: H2. */
    public static final AccountVersions NONE = new AccountVersions(null, null, 1);

    /** The advisory locks' first key, "rgac" in ASCII; the second is the account's hash (a clash only serializes). */
    static final int LOCK_SPACE = 0x72676163;

    /**
     * How long a process waits for an account, or a batch for the shared lock ({@link SharedLocks}), before failing
     * closed: longer than any batch takes, short enough that a stalled process does not hold every other one up.
     */
    public static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(10);

    private static final String READ = "SELECT version FROM account_version WHERE account = ?";
    private static final String ADVANCE = "INSERT INTO account_version (account, version) VALUES (?, 1) "
            + "ON CONFLICT (account) DO UPDATE SET version = account_version.version + 1 "
            + "WHERE account_version.version = ?";

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final Semaphore holders;

    private AccountVersions(DataSource dataSource, JdbcTemplate jdbc, int maxHolders) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.holders = new Semaphore(maxHolders, true);
    }

    /** The versions of the database behind {@code dataSource}: compared on PostgreSQL, {@link #NONE} on H2. */
    public static AccountVersions of(DataSource dataSource) {
        if (Dialect.of(dataSource) != Dialect.POSTGRESQL) {
            return NONE;
        }
        int pool = dataSource instanceof HikariDataSource h ? h.getMaximumPoolSize() : 8;
        return new AccountVersions(dataSource, new JdbcTemplate(dataSource), Math.max(1, pool / 2));
    }

    /** The account's lock across processes, taken: what the store holds of it is at {@link #version}. */
    public interface Held extends AutoCloseable {

        /** The account's stored version when the lock was granted; -1 when nothing is compared (H2). */
        long version();

        /** Lets the lock go. */
        @Override
        void close();
    }

    private static final Held NOTHING = new Held() {
        @Override
        public long version() {
            return -1;
        }

        @Override
        public void close() {
        }
    };

    /**
     * Takes the account's lock across processes, waiting for the processes that asked before, and reads its version.
     * Call holding the account's lock in this process, and close it once the work's writes are durable.
     */
    public Held hold(String account) {
        if (jdbc == null) {
            return NOTHING;
        }
        holders.acquireUninterruptibly();
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            int key = account.hashCode();
            // a process that stalls holding the account (a pause, a host cut off without its sockets closing) makes
            // the others wait at most LOCK_WAIT, then fail closed; one round trip for both statements
            try (Statement lock = c.createStatement()) {
                lock.execute("SET lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'; SELECT pg_advisory_lock("
                        + LOCK_SPACE + ", " + key + ")");
            }
            long version;
            // after the lock: every write of the process that held it before is committed, and read here
            try (PreparedStatement read = c.prepareStatement(READ)) {
                read.setString(1, account);
                try (ResultSet rs = read.executeQuery()) {
                    version = rs.next() ? rs.getLong(1) : 0;
                }
            }
            return new Lock(c, key, version);
        } catch (SQLException | RuntimeException e) {
            discard(c);
            holders.release();
            if (e instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                throw new IllegalStateException("account '" + account + "' has been held by another riskgate process "
                        + "for more than " + LOCK_WAIT.toSeconds() + " s (a stalled instance: see docs/operations.md, "
                        + "\"A stalled instance\"); refused, fail closed", e);
            }
            throw new IllegalStateException("cannot take account '" + account + "' in the database: "
                    + e.getMessage(), e);
        }
    }

    /** A connection whose session may still hold a lock goes, not back to the pool. */
    private static void discard(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // closing below
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // gone already
        }
    }

    private final class Lock implements Held {
        private final Connection session;
        private final int key;
        private final long version;
        private boolean closed;

        Lock(Connection session, int key, long version) {
            this.session = session;
            this.key = key;
            this.version = version;
        }

        @Override
        public long version() {
            return version;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (PreparedStatement unlock = session.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                unlock.setInt(1, LOCK_SPACE);
                unlock.setInt(2, key);
                unlock.executeQuery().close();
                session.close();
            } catch (SQLException | RuntimeException e) {
                // the session is in doubt: ending it ends its locks
                discard(session);
            } finally {
                holders.release();
            }
        }
    }

    /** Whether several processes may share the database, so that writes compare versions. */
    public boolean shared() {
        return jdbc != null;
    }

    /**
     * The account's stored version: 0 for an account never written. Read it <em>before</em> the account's state, so
     * that a write committed between the two reads makes the book look older than it is (a needless retry), never
     * newer (a lost update).
     */
    public long read(String account) {
        if (jdbc == null) {
            return 0;
        }
        return jdbc.query(READ, rs -> rs.next() ? rs.getLong(1) : 0L, account);
    }

    /**
     * In the transaction of a write to the account: moves its version from {@code expected} to {@code expected + 1},
     * or throws {@link Stale} when another process wrote the account since {@code expected} was read.
     */
    public void advance(String account, long expected) {
        if (jdbc == null) {
            return;
        }
        if (jdbc.update(ADVANCE, account, expected) != 1) {
            throw new Stale(account, expected);
        }
    }

    /**
     * What the account's book was decided on has changed in another process since it was read: decide again on what
     * is stored.
     */
    public static class Stale extends IllegalStateException {

        private final String account;

        Stale(String account, long expected) {
            this(account, "account '" + account + "' was changed by another riskgate process since version "
                    + expected + " was read");
        }

        /** Another cause than the account's version (the firm's room, FirmShares). */
        protected Stale(String account, String message) {
            super(message);
            this.account = account;
        }

        /** The account whose book is out of date. */
        public String account() {
            return account;
        }
    }
}
