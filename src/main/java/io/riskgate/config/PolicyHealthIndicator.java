package io.riskgate.config;

import io.riskgate.rules.CompiledPolicy;
import io.riskgate.rules.RuleSetRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component "policy": which policy decides checks, and what it was built from. */
@Component("policy")
class PolicyHealthIndicator implements HealthIndicator {

    private final RuleSetRegistry registry;

    PolicyHealthIndicator(RuleSetRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        try {
            CompiledPolicy p = registry.active();
            return Health.up().withDetail("id", p.id()).withDetail("version", p.version())
                    .withDetail("sha256", p.sha256()).withDetail("rules", p.rules().size())
                    .withDetail("compiledAt", p.compiledAt().toString()).build();
        } catch (RuntimeException e) {
            return Health.down(e).build();
        }
    }
}
