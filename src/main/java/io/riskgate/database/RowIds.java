package io.riskgate.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Numbers for the rows of a table whose key is a counter (a governor event's id, an exit instruction's place).
 * riskgate gives the number itself, in the statement, rather than leaving it to the column's identity sequence:
 * the journal ({@link Journal}) replays a batch's statements as they were recorded, so a row must come back with
 * the number its caller was told, whatever numbers rolled-back writes had used up before it.
 *
 * <p>On H2: one counter per database and table in this JVM, started at the table's largest number on first use; one
 * process writes an H2 file (its file lock). On PostgreSQL, which several instances are to share, each number is
 * drawn from the column's own identity sequence, so no two processes are given the same one (no journal there).
 */
public final class RowIds {

    private static final Pattern NAME = Pattern.compile("[a-z_]{1,64}");
    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private final DataSource dataSource;
    private final String table;
    private final String column;
    private volatile AtomicLong counter;
    /** On PostgreSQL, the query drawing the next number from the column's sequence; null on H2. */
    private volatile String sequence;

    private RowIds(DataSource dataSource, String table, String column) {
        if (!NAME.matcher(table).matches() || !NAME.matcher(column).matches()) {
            throw new IllegalArgumentException("a table and column name must be lower-case words, was "
                    + table + "." + column);
        }
        this.dataSource = dataSource;
        this.table = table;
        this.column = column;
    }

    /** The numbers of {@code table.column} in the database behind {@code dataSource}. */
    public static RowIds of(DataSource dataSource, String table, String column) {
        return new RowIds(dataSource, table, column);
    }

    /** The next number: larger than every number in the table when first asked, and than every one given since. */
    public long next() {
        AtomicLong c = counter;
        if (c == null && sequence == null) {
            c = start();
        }
        return c != null ? c.incrementAndGet() : drawn();
    }

    /** The next value of the column's sequence, on the connection of the transaction in hand (if any). */
    private long drawn() {
        Connection con = DataSourceUtils.getConnection(dataSource);
        try (Statement st = con.createStatement(); ResultSet rs = st.executeQuery(sequence)) {
            rs.next();
            long n = rs.getLong(1);
            if (rs.wasNull()) {
                throw new IllegalStateException(table + "." + column + " has no identity sequence to draw from");
            }
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot draw the next " + table + "." + column + ": " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(con, dataSource);
        }
    }

    private synchronized AtomicLong start() {
        if (counter != null || sequence != null) {
            return counter;
        }
        // the connection of the batch being written, when asked on the writer: a pool may have no other
        Connection con = DataSourceUtils.getConnection(dataSource);
        try {
            if (Dialect.of(con.getMetaData().getDatabaseProductName()) == Dialect.POSTGRESQL) {
                // table and column are lower-case words (checked above)
                sequence = "SELECT nextval(pg_get_serial_sequence('" + table + "', '" + column + "'))";
                DataSourceUtils.releaseConnection(con, dataSource);
                return null;
            }
        } catch (SQLException e) {
            DataSourceUtils.releaseConnection(con, dataSource);
            throw new IllegalStateException("cannot read the database's name: " + e.getMessage(), e);
        }
        try (Statement st = con.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(" + column + "), 0) FROM " + table)) {
            rs.next();
            long max = rs.getLong(1);
            AtomicLong shared = COUNTERS.computeIfAbsent(con.getMetaData().getURL() + "#" + table + "." + column,
                    k -> new AtomicLong());
            shared.accumulateAndGet(max, Math::max);
            counter = shared;
            return shared;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the largest " + table + "." + column + ": " + e.getMessage(),
                    e);
        } finally {
            DataSourceUtils.releaseConnection(con, dataSource);
        }
    }
}
