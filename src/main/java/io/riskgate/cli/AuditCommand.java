package io.riskgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgate.audit.AuditChain;
import io.riskgate.database.LocalDatabase;
import io.riskgate.runtime.RiskgateRuntime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code riskgate audit verify|head}: the decision log's hash chain, read straight from the service's database
 * (while the service is stopped, or on a copy; while it runs, {@code GET /api/v1/audit/verify} and {@code /head}).
 * {@code verify} exits 0 when the chain is intact, 1 naming every record changed, removed or inserted, 2 on a bad
 * anchor, 3 when the database cannot be opened.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify the decision log's hash chain, or print its head to keep as an anchor.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Head.class})
final class AuditCommand implements Runnable {

    @Option(names = "--db", defaultValue = "jdbc:h2:file:./data/riskgate",
            description = "JDBC URL of the service's database (default: ${DEFAULT-VALUE})")
    String db;

    @Override
    public void run() {
        System.out.println("riskgate audit verify|head: see 'riskgate audit --help'");
    }

    private AuditChain open() {
        // the same path as the service: owner-only files, the password from db.secret beside the database
        DataSource source = LocalDatabase.dataSource(db, "sa");
        RiskgateRuntime.migrate(source);
        return new AuditChain(new JdbcTemplate(source));
    }

    private static void print(Object value) throws Exception {
        ObjectMapper json = RiskgateRuntime.jsonMapper();
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the chain; name every record changed, removed or inserted. Exit 0 intact, 1 not.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Option(names = "--anchor", paramLabel = "SEQ:HASH",
                description = "a head kept from 'riskgate audit head': also catches a chain cut or rewritten after it")
        String anchor;

        @Override
        public Integer call() throws Exception {
            Optional<AuditChain.Head> a;
            try {
                a = anchor == null ? Optional.empty() : Optional.of(AuditChain.Head.parse(anchor));
            } catch (IllegalArgumentException e) {
                System.err.println("riskgate: " + e.getMessage());
                return 2;
            }
            AuditChain.Report r = parent.open().verify(a);
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
}
