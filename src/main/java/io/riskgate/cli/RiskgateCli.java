package io.riskgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line in the same jar as the service: {@code check}, {@code policy validate}, {@code rules show}.
 * Exit codes: 0 success/approved, 1 rejected or invalid, 2 bad input or usage, 3 could not run (an invalid policy
 * for {@code check}, a database that cannot be opened, any unexpected error): never 1, so a script cannot mistake
 * a failure for a rejection.
 */
@Command(name = "riskgate", mixinStandardHelpOptions = true, version = "riskgate 0.1.0",
        description = "Pre-trade risk policy engine. With no arguments the jar serves the REST API on port 8080.",
        subcommands = {CheckCommand.class, PolicyCommand.class, RulesCommand.class, KeysCommand.class,
                AuditCommand.class, ReplayCommand.class, DbCommand.class})
public final class RiskgateCli implements Runnable {

    public static final int EXIT_CANNOT_RUN = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the CLI and returns its exit code. Logging goes to stderr at WARN so stdout stays machine-readable. */
    public static int run(String... args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-cli.xml");
        }
        CommandLine cli = new CommandLine(new RiskgateCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("riskgate: could not run: " + e);
            return EXIT_CANNOT_RUN;
        });
        return cli.execute(args);
    }
}
