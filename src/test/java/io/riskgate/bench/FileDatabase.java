package io.riskgate.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's database as the service runs it: an H2 file in a temporary directory of its own behind a Hikari pool.
 * {@link #close} closes the pool and deletes the directory.
 */
final class FileDatabase implements AutoCloseable {

    final Path dir;
    final HikariDataSource pool;

    FileDatabase() throws IOException {
        dir = Files.createTempDirectory("riskgate-bench");
        pool = new HikariDataSource();
        pool.setJdbcUrl(io.riskgate.database.LocalDatabase.tuned(url()));
        pool.setUsername("sa");
        pool.setMaximumPoolSize(20);
    }

    String url() {
        return "jdbc:h2:file:" + dir.resolve("db");
    }

    /** The database's main file, {@code db.mv.db}. */
    Path file() {
        return dir.resolve("db.mv.db");
    }

    /**
     * Closes the pool and gives the file's size after H2's own compaction of the closed database ({@code SHUTDOWN
     * COMPACT}): the live data, the steady state a restart starts from. Close what writes to the database first.
     */
    long compactedSize() throws IOException, java.sql.SQLException {
        pool.close();
        try (var c = java.sql.DriverManager.getConnection(url(), "sa", ""); var st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
        return Files.size(file());
    }

    @Override
    public void close() throws IOException {
        pool.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
