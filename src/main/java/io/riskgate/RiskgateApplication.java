package io.riskgate;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The HTTP service: REST API, actuator health and metrics, OpenAPI description. */
@SpringBootApplication
public class RiskgateApplication {
}
