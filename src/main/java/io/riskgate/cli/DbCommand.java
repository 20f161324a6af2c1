package io.riskgate.cli;

import io.riskgate.database.Journal;
import io.riskgate.database.LocalDatabase;
import io.riskgate.runtime.RiskgateRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code riskgate db compact}: gives the H2 file back the space a running service leaves in it. While the service
 * runs, H2 writes changed pages to new places, uncompressed, and rewrites old chunks only once they are mostly dead,
 * so the file holds several times its live data (docs/performance.md, "the open file over a long run"). H2's
 * {@code SHUTDOWN COMPACT} rewrites the file with only its live data, compressed. Run while the service is stopped:
 * the journal is replayed first, as at every start. Exits 0, 2 when {@code --db} names no H2 file here, 3 when the
 * database cannot be opened (the service still running holds it).
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Maintain the service's H2 database file.", subcommands = {DbCommand.Compact.class})
final class DbCommand implements Runnable {

    @Mixin
    ServiceDatabase database;

    @Override
    public void run() {
        System.out.println("riskgate db compact: see 'riskgate db --help'");
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = "Replay the journal, then rewrite the H2 file with only its live data, compressed (H2's "
                    + "SHUTDOWN COMPACT), and print its size before and after. Run while the service is stopped.")
    static final class Compact implements Callable<Integer> {
        @ParentCommand
        DbCommand parent;

        @Override
        public Integer call() throws Exception {
            String url = parent.database.db;
            Optional<LocalDatabase> local = LocalDatabase.of(url);
            if (local.isEmpty()) {
                System.err.println("riskgate: db compact works on an H2 file database (jdbc:h2:file:PATH), not on "
                        + url + " (PostgreSQL gives space back with VACUUM)");
                return 2;
            }
            if (url.toUpperCase(java.util.Locale.ROOT).contains(";FILE_LOCK=")) {
                System.err.println("riskgate: db compact keeps H2's file lock: remove FILE_LOCK from " + url);
                return 2;
            }
            Path file = local.get().file();
            if (!Files.exists(file)) {
                System.err.println("riskgate: no database file " + file);
                return 2;
            }
            long before = Files.size(file);
            // migrate: the journal's batches into the file first, so what was answered is in what is compacted
            DataSource source = parent.database.open();
            long decisions;
            // and the journal's lock held until the file is replaced: no riskgate process writes the database
            Journal journal = Journal.open(local.get().journalFile());
            try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
                try (var rs = st.executeQuery("SELECT COUNT(*) FROM decision")) {
                    rs.next();
                    decisions = rs.getLong(1);
                }
                st.execute("SHUTDOWN COMPACT");
            } finally {
                journal.close();
            }
            // H2 wrote the compacted file anew, with the file system's default permissions: owner-only again
            local.get().restrictFiles();
            long after = Files.size(file);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", file.toString());
            out.put("bytesBefore", before);
            out.put("bytesAfter", after);
            out.put("decisions", decisions);
            out.put("bytesPerDecisionAfter", decisions == 0 ? null : Math.round(after / (double) decisions));
            System.out.println(RiskgateRuntime.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        }
    }
}
