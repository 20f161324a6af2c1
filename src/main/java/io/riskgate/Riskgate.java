package io.riskgate;

import io.riskgate.cli.RiskgateCli;
import org.springframework.boot.SpringApplication;

/**
 * Entry point of {@code target/riskgate.jar}: with no arguments, or only Spring properties such as
 * {@code --server.port=9090}, it serves the REST API (port 8080 by default); otherwise it runs a CLI command
 * ({@code check}, {@code policy validate}, {@code rules show}, {@code --help}).
 */
public final class Riskgate {

    private Riskgate() {
    }

    public static void main(String[] args) {
        boolean serve = args.length == 0 || (args[0].startsWith("--") && !args[0].equals("--help")
                && !args[0].equals("--version"));
        if (serve) {
            SpringApplication.run(RiskgateApplication.class, args);
            return;
        }
        System.exit(RiskgateCli.run(args));
    }
}
