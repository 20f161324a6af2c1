package io.riskgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command reads its policy from: {@code --policies}, {@code --rules}, {@code --policy}, one meaning each. */
final class PolicySource {

    @Option(names = "--policies", defaultValue = "policies", description = "policy directory (default: ${DEFAULT-VALUE})")
    Path policies;

    @Option(names = "--rules", defaultValue = "rules", description = "rules directory (default: ${DEFAULT-VALUE})")
    Path rules;

    @Option(names = "--policy", defaultValue = "default", description = "policy id (default: ${DEFAULT-VALUE})")
    String policy;

    Path policiesDir() {
        return policies.toAbsolutePath().normalize();
    }

    Path rulesDir() {
        return rules.toAbsolutePath().normalize();
    }
}
