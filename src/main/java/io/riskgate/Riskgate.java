package io.riskgate;

import io.riskgate.cli.RiskgateCli;
import org.springframework.boot.SpringApplication;

/**
 * Entry point of {@code target/riskgate.jar}: with no arguments (or only {@code --spring.options}) it serves the
 * REST API on port 8080; otherwise it runs a CLI command ({@code check}, {@code policy validate},
 * {@code rules show}).
 */
public final class Riskgate {

    private Riskgate() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("--spring") || args[0].startsWith("--server")
                || args[0].startsWith("--riskgate") || args[0].startsWith("--management")) {
            SpringApplication.run(RiskgateApplication.class, args);
            return;
        }
        System.exit(RiskgateCli.run(args));
    }
}
