package io.riskgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.database.LocalDatabase;
import io.riskgate.decision.Decision;
import io.riskgate.order.CheckRequestParser;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.policy.PolicyException;
import io.riskgate.runtime.RiskgateRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code riskgate check FILE.json}: one pre-trade check, audited in the CLI's own database (never a running
 * service's: one process owns a database). Exit 0 approved; 1 rejected, including a FAILED decision (the engine
 * could not evaluate the order: fail closed); 2 bad input; 3 could not run (invalid policy, no database).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check one order (the JSON of POST /api/v1/checks) and print the decision as JSON.%n"
                + "Exit 0 approved, 1 rejected, 2 bad input, 3 could not run (invalid policy, database unavailable).")
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.json", description = "the check request")
    Path file;

    @picocli.CommandLine.Mixin
    PolicySource source;

    @Option(names = "--db", defaultValue = "jdbc:h2:file:./data/riskgate-cli",
            description = "JDBC URL of the CLI's own audit and portfolio database (default: ${DEFAULT-VALUE}; "
                    + "its password is kept in db.secret beside it). "
                    + "Do not point it at a running service's database: one process owns a database.")
    String db;

    @Override
    public Integer call() throws IOException {
        ObjectMapper json = RiskgateRuntime.jsonMapper();
        JsonNode body;
        try {
            body = json.readTree(Files.readString(file));
        } catch (IOException e) {
            System.err.println(json.writeValueAsString(Map.of("error", "cannot read " + file + ": " + e.getMessage())));
            return 2;
        }
        try {
            // the request's own problems first: a bad file is answered in a moment, before the rule base compiles
            CheckRequestParser.parse(body);
        } catch (InvalidRequestException e) {
            return invalid(json, e);
        }
        // the password kept in db.secret beside the database (generated on first use), as for the service's
        javax.sql.DataSource ds = LocalDatabase.dataSource(db, "sa");
        RiskgateRuntime rt;
        try {
            rt = RiskgateRuntime.start(source.policiesDir(), source.rulesDir(),
                    source.policy, ds, Clock.systemUTC(), new SimpleMeterRegistry(), json);
        } catch (PolicyException e) {
            System.err.println("the policy is invalid; nothing was checked\n" + e.getMessage());
            return RiskgateCli.EXIT_CANNOT_RUN;
        }
        try (RiskgateRuntime started = rt) {
            // closed at the end: what was answered is synced into the database file and the journal emptied
            Decision d = started.engine().check(body);
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(d));
            // FAILED is a rejection too (the contract's 1); its outcome field says the engine could not decide
            return d.approved() ? 0 : 1;
        } catch (io.riskgate.errors.ConflictException e) {
            // a clientOrderId already used for a different order: the input is wrong, not the engine
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(
                    Map.of("title", "conflict", "detail", e.getMessage())));
            return 2;
        } catch (InvalidRequestException e) {
            // what only the engine can judge: a market.timestamp ahead of the clock
            return invalid(json, e);
        }
    }

    private static int invalid(ObjectMapper json, InvalidRequestException e) throws IOException {
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(
                Map.of("title", "invalid request", "errors", e.problems())));
        return 2;
    }
}
