package io.riskgate.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One process's claim on a PostgreSQL database: each process keeps its accounts' books in memory, so until several
 * instances share a database safely (issue 15) exactly one may write it.
 * <ol>
 *   <li>{@link #take}: a session advisory lock, before anything touches the database (migrations included), on a
 *       connection of its own held until {@link #close}; a second process is refused.</li>
 *   <li>{@link #fence}, once migrated: the claim's token in {@code riskgate_owner}.</li>
 *   <li>{@link #check}, first in every batch the group commit writes: the row still carries the token, or the batch
 *       fails and so does everything after it. A process whose session was cut lost its lock without noticing; the
 *       process that took over wrote its own token before its first write, so the old one cannot commit again.</li>
 * </ol>
 * On H2 there is nothing to claim ({@link #NONE}): one process opens an H2 file at a time.
 */
public final class DatabaseClaim implements AutoCloseable {

    /** The advisory lock's key: "riskgate" in ASCII. */
    public static final long LOCK = 0x7269736B67617465L;

    /** No claim: H2. */
    public static final DatabaseClaim NONE = new DatabaseClaim(null, null, null);

    private final DataSource dataSource;
    private volatile Connection session;
    private final String token;
    private volatile boolean fenced;

    private DatabaseClaim(DataSource dataSource, Connection session, String token) {
        this.dataSource = dataSource;
        this.session = session;
        this.token = token;
    }

    /** Takes the database behind {@code dataSource} for this process; {@link #NONE} unless it is PostgreSQL. */
    public static DatabaseClaim take(DataSource dataSource) {
        if (Dialect.of(dataSource) != Dialect.POSTGRESQL) {
            return NONE;
        }
        Connection c = lock(dataSource);
        if (c == null) {
            throw new IllegalStateException("another riskgate process writes this PostgreSQL database (it holds "
                    + "riskgate's advisory lock " + LOCK + "): run one per database (docs/operations.md, PostgreSQL)");
        }
        return new DatabaseClaim(dataSource, c, UUID.randomUUID().toString());
    }

    /** A connection of its own holding the lock, or null when another session holds it. */
    private static Connection lock(DataSource dataSource) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            boolean locked;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
                rs.next();
                locked = rs.getBoolean(1);
            }
            if (!locked) {
                return null;
            }
            Connection held = c;
            c = null;
            return held;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the database: " + e.getMessage(), e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // refused or failed already
                }
            }
        }
    }

    /** Whether this is a claim on a database (PostgreSQL) rather than {@link #NONE}. */
    public boolean held() {
        return session != null;
    }

    /** Writes the claim's token, once the schema is migrated; after it, only this process's batches commit. */
    public void fence(Instant at) {
        if (session == null) {
            return;
        }
        String upsert = Dialect.POSTGRESQL.upsert("riskgate_owner", java.util.List.of("id"),
                java.util.List.of("id", "token", "claimed_at"));
        try (PreparedStatement ps = session.prepareStatement(upsert)) {
            ps.setInt(1, 1);
            ps.setString(2, token);
            ps.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the database's owner: " + e.getMessage(), e);
        }
        fenced = true;
    }

    /**
     * In a batch's transaction ({@code jdbc} on its connection): this process still owns the database, or an
     * exception. Locks the owner row until the batch commits, so a successor's token waits for it.
     */
    void check(JdbcTemplate jdbc) {
        if (session == null) {
            return;
        }
        if (!fenced) {
            throw new IllegalStateException("the database's owner was not written (DatabaseClaim.fence)");
        }
        relockIfLost();
        int rows = jdbc.update("UPDATE riskgate_owner SET token = token WHERE id = 1 AND token = ?", token);
        if (rows != 1) {
            throw new Lost();
        }
    }

    /**
     * The lock's session ended under the process (PostgreSQL restarted, the connection was cut): the lock is taken
     * again on a new one, so that no second process can start beside this one; if another session holds it now,
     * another process took over and this one must stop ({@link Lost}).
     */
    private void relockIfLost() {
        Connection s = session;
        try {
            if (s.isValid(2)) {
                return;
            }
        } catch (SQLException e) {
            // as not valid
        }
        synchronized (this) {
            if (session != s) {
                return;
            }
            try {
                s.close();
            } catch (SQLException ignored) {
                // it is gone already
            }
            Connection again = lock(dataSource);
            if (again == null) {
                throw new Lost();
            }
            session = again;
        }
    }

    /** Another process took the database over: this one must not commit again. */
    public static final class Lost extends IllegalStateException {
        Lost() {
            super("this process no longer owns the database: another riskgate process took it over");
        }
    }

    /** Lets the database go: the lock first (a pool would keep the session open), then the connection. */
    @Override
    public void close() {
        if (session == null) {
            return;
        }
        try (Connection c = session; Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
        } catch (SQLException ignored) {
            // a lost session has lost the lock already
        }
    }
}
