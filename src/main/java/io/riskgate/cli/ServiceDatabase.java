package io.riskgate.cli;

import io.riskgate.database.LocalDatabase;
import io.riskgate.runtime.RiskgateRuntime;
import javax.sql.DataSource;
import picocli.CommandLine.Option;

/**
 * The {@code --db} option of the commands that work on the service's own database ({@code keys}, {@code audit}),
 * and the database it names opened the way the service opens it: owner-only files, the password from
 * {@code db.secret} beside it, the schema migrated.
 */
final class ServiceDatabase {

    @Option(names = "--db", defaultValue = "jdbc:h2:file:./data/riskgate",
            description = "JDBC URL of the service's database (default: ${DEFAULT-VALUE})")
    String db;

    DataSource open() {
        DataSource source = LocalDatabase.dataSource(db, "sa");
        RiskgateRuntime.migrate(source);
        return source;
    }
}
