package io.riskgate.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The databases riskgate stores in, and the little SQL that differs between them: where each one's own migrations
 * are, and how a row is written or replaced in one statement. Everything else riskgate sends is SQL both take.
 */
public enum Dialect {
    /** H2, embedded: the zero-setup default (a file, or in memory for tests and replays). */
    H2("h2"),
    /** PostgreSQL: the store for several instances (docs/operations.md). */
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The folder under db/migration with this database's own forms of the migrations that are not common. */
    public String folder() {
        return folder;
    }

    /** The dialect of the database behind {@code dataSource}, read from its driver; any other is refused. */
    public static Dialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return of(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database: " + e.getMessage(), e);
        }
    }

    /** The dialect of a database whose JDBC driver names it {@code product}. */
    static Dialect of(String product) {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.equals("h2")) {
            return H2;
        }
        if (p.equals("postgresql")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException("riskgate stores in H2 or PostgreSQL, not in " + product);
    }

    /**
     * A statement writing one row of {@code columns} into {@code table}, replacing the row with the same
     * {@code key} columns if there is one; its parameters are the columns' values in order. The replacement is one
     * statement, atomic against a concurrent insert of the same key on either database.
     */
    public String upsert(String table, List<String> key, List<String> columns) {
        String cols = String.join(", ", columns);
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        if (this == H2) {
            return "MERGE INTO " + table + " (" + cols + ") KEY (" + String.join(", ", key) + ") VALUES (" + params
                    + ")";
        }
        String set = columns.stream().filter(c -> !key.contains(c)).map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
                + String.join(", ", key) + ") " + (set.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + set);
    }
}
