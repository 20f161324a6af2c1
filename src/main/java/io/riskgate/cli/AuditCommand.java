package io.riskgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.audit.AuditChain;
import io.riskgate.audit.AuditExport;
import io.riskgate.runtime.RiskgateRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code riskgate audit verify|head}: the decision log's hash chain, read straight from the service's database
 * (while the service is stopped, or on a copy; while it runs, {@code GET /api/v1/audit/verify} and {@code /head}).
 * {@code verify} exits 0 when the chain is intact, 1 naming every record changed, removed or inserted, 2 on a bad
 * anchor, 3 when the database cannot be opened.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify the decision log's hash chain, or print its head to keep as an anchor.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Head.class, AuditCommand.Export.class,
                AuditCommand.VerifyExport.class})
final class AuditCommand implements Runnable {

    @Mixin
    ServiceDatabase database;

    @Override
    public void run() {
        System.out.println("riskgate audit verify|head: see 'riskgate audit --help'");
    }

    private DataSource source() {
        return database.open();
    }

    private AuditChain open() {
        return new AuditChain(new JdbcTemplate(source()));
    }

    private static void print(Object value) throws Exception {
        ObjectMapper json = RiskgateRuntime.jsonMapper();
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the chain; name every record changed, removed or inserted. With --decision, check "
                    + "that one record against its neighbours only. Exit 0 intact, 1 not, 2 for bad input.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Option(names = "--anchor", paramLabel = "SEQ:HASH",
                description = "a head kept from 'riskgate audit head': also catches a chain cut or rewritten after it")
        String anchor;

        @Option(names = "--decision", paramLabel = "ID",
                description = "one decision: its content against its hash, and the records either side linked to it")
        String decision;

        @Option(names = "--exports", paramLabel = "DIR",
                description = "where the export files are kept: each exported record's tombstone is checked against "
                        + "its file (without it, a tombstone's place and hashes are taken on trust)")
        Path exports;

        @Override
        public Integer call() throws Exception {
            if (decision != null) {
                if (anchor != null || exports != null
                        || !decision.matches(io.riskgate.lifecycle.FillRequest.DECISION_ID)) {
                    System.err.println("riskgate: --decision takes a decision id alone (no --anchor, no --exports)");
                    return 2;
                }
                Optional<AuditChain.RecordCheck> check = parent.open().verifyRecord(decision);
                if (check.isEmpty()) {
                    System.err.println("riskgate: no decision " + decision + " in the live store");
                    return 2;
                }
                print(check.get());
                return check.get().intact() ? 0 : 1;
            }
            Optional<AuditChain.Head> a;
            try {
                a = anchor == null ? Optional.empty() : Optional.of(AuditChain.Head.parse(anchor));
            } catch (IllegalArgumentException e) {
                System.err.println("riskgate: " + e.getMessage());
                return 2;
            }
            if (exports != null && !Files.isDirectory(exports)) {
                System.err.println("riskgate: --exports must be an existing directory: " + exports);
                return 2;
            }
            AuditChain.Report r = parent.open().verify(a, Optional.ofNullable(exports));
            print(r);
            return r.intact() ? 0 : 1;
        }
    }

    @Command(name = "head", mixinStandardHelpOptions = true,
            description = "Print the chain's last record (seq, hash, decision id) and its anchor SEQ:HASH.")
    static final class Head implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Override
        public Integer call() throws Exception {
            print(parent.open().head().map(Object.class::cast).orElse(Map.of()));
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Move the decisions decided before INSTANT that no reservation or trade refers to into "
                    + "DIR/decisions-FIRST-LAST-HASH.jsonl.gz (written and fsynced first); the store keeps a tombstone "
                    + "per record so the chain still verifies. Run while the service is stopped.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Option(names = "--before", required = true, paramLabel = "INSTANT",
                description = "ISO-8601 instant, e.g. 2026-01-01T00:00:00Z")
        String before;

        @Option(names = "--to", required = true, paramLabel = "DIR", description = "an existing directory")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Instant cut;
            try {
                cut = Instant.parse(before);
            } catch (java.time.format.DateTimeParseException e) {
                System.err.println("riskgate: --before must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
                return 2;
            }
            if (!Files.isDirectory(dir)) {
                System.err.println("riskgate: --to must be an existing directory: " + dir);
                return 2;
            }
            DataSource source = parent.source();
            AuditExport export = new AuditExport(new JdbcTemplate(source),
                    new TransactionTemplate(new DataSourceTransactionManager(source)), RiskgateRuntime.jsonMapper());
            print(export.export(cut, dir));
            return 0;
        }
    }

    @Command(name = "verify-export", mixinStandardHelpOptions = true,
            description = "Check an export file: every line against its hash, consecutive records linked, and each "
                    + "record against the tombstone it left in the store. Exit 0 intact, 1 not.")
    static final class VerifyExport implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "a decisions-FIRST-LAST-HASH.jsonl.gz file")
        Path file;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                System.err.println("riskgate: no such file: " + file);
                return 2;
            }
            List<String> problems = AuditExport.verifyFile(file, RiskgateRuntime.jsonMapper(),
                    Optional.of(new JdbcTemplate(parent.source())));
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("file", file.toString());
            out.put("intact", problems.isEmpty());
            out.put("problems", problems);
            print(out);
            return problems.isEmpty() ? 0 : 1;
        }
    }
}
