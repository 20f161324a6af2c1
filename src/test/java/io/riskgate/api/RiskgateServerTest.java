package io.riskgate.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * One real riskgate server for the API tests: random port, the repository's {@code policies/} and {@code rules/}
 * (tests run from the repository root), a private database (in-memory H2, or PostgreSQL: TestStore), and a clock pinned to 2032-01-01, after
 * every fixture's event time, so that no check is refused as ahead of the clock; reservations expire by event time
 * (a later check or fill), never by this clock, so those made at seed 001's timestamp stay live. Every class carrying this
 * annotation has the same configuration and so shares one cached Spring context; tests keep apart by using their
 * own account ids.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "riskgate.policies-dir=policies",
        "riskgate.rules-dir=rules",
        // a dead event-stream client is dropped within a second (GovernorApiTest)
        "riskgate.events.heartbeat=500ms",
        // reloads are the tests' to make (PolicyReloadApiTest); the watcher has its own test
        "riskgate.policies.watch=false",
        // the bootstrap ADMIN key of each test server goes to target/, not to the repository's data/; one file per
        // surefire fork (pom.xml), as each fork runs a server of its own
        "riskgate.security.bootstrap-key-file=target/test-keys/fork-${riskgate.test.fork:0}/admin.key",
        // retention's files, if a test exports any, stay in target/ too
        "riskgate.audit.export-dir=target/test-exports/fork-${riskgate.test.fork:0}"})
// the database: in-memory H2, or one on the tests' PostgreSQL server with -Driskgate.test.store=postgresql
@org.springframework.test.context.ContextConfiguration(initializers = io.riskgate.testing.TestStore.Initializer.class)
@Import({RiskgateServerTest.PinnedClock.class, RiskgateServerTest.Unruled.class})
// metrics exported as the service exports them (Spring Boot's tests turn exporters off unless asked): PrometheusApiTest
// scrapes /actuator/prometheus; on every server test, so that they keep sharing one context
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
@interface RiskgateServerTest {

    @TestConfiguration(proxyBeanMethods = false)
    class PinnedClock {
        @Bean
        @Primary
        Clock pinnedClock() {
            // far after every fixture's event time (seed 001's T0, and 2031 in DecisionsApiTest), so none is refused
            // as ahead of the clock (portfolio.max_event_lead)
            return Clock.fixed(java.time.Instant.parse("2032-01-01T00:00:00Z"), ZoneOffset.UTC);
        }
    }

    /**
     * An endpoint nobody gave roles to, as a new one would be: closed to every caller (AccessMatrixTest). Part of
     * every server test's context, so that AccessMatrixTest shares the one cached context instead of starting its own.
     */
    @org.springframework.web.bind.annotation.RestController
    class Unruled {
        @org.springframework.web.bind.annotation.GetMapping("/api/v1/test-only/unruled")
        String unruled() {
            return "should never answer";
        }
    }
}
