package io.riskgate.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * riskgate's own settings (application.properties, environment or command line).
 *
 * @param policiesDir where policy YAML files live ({@code riskgate.policies-dir}, default ./policies)
 * @param rulesDir where DRL and decision tables live ({@code riskgate.rules-dir}, default ./rules)
 * @param defaultPolicy the policy id accounts use ({@code riskgate.default-policy}, default "default")
 */
@ConfigurationProperties("riskgate")
public record RiskgateProperties(Path policiesDir, Path rulesDir, String defaultPolicy) {

    public RiskgateProperties {
        policiesDir = policiesDir == null ? Path.of("policies") : policiesDir;
        rulesDir = rulesDir == null ? Path.of("rules") : rulesDir;
        defaultPolicy = defaultPolicy == null || defaultPolicy.isBlank() ? "default" : defaultPolicy;
    }
}
