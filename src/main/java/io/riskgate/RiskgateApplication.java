package io.riskgate;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The HTTP service: REST API, actuator health and metrics, OpenAPI description. No user/password login: callers
 * authenticate with API keys or OIDC tokens ({@link io.riskgate.security.SecurityConfiguration}).
 */
@SpringBootApplication(exclude = org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration.class)
public class RiskgateApplication {
}
