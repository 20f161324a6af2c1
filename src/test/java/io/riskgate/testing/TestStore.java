package io.riskgate.testing;

import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Which store the server tests run on: H2 in memory (the default), or with {@code -Driskgate.test.store=postgresql}
 * a database of its own on the tests' PostgreSQL server ({@link Postgres}). The build runs the REST suite once on
 * each (pom.xml).
 */
public final class TestStore {

    private TestStore() {
    }

    /** Whether this run's server tests store in PostgreSQL. */
    public static boolean postgres() {
        return "postgresql".equals(System.getProperty("riskgate.test.store"));
    }

    /**
     * The {@code spring.datasource.*} properties of a new database for a test server: in-memory H2 named after
     * {@code name}, or a new PostgreSQL database.
     */
    public static Map<String, Object> datasource(String name) {
        if (!postgres()) {
            return Map.of("spring.datasource.url", "jdbc:h2:mem:" + name + "-" + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1");
        }
        String url = Postgres.newDatabaseUrl();
        return Map.of("spring.datasource.url", url, "spring.datasource.username", "postgres",
                "spring.datasource.password", "");
    }

    /** Puts {@link #datasource} in front of a server test's properties (for the shared {@code RiskgateServerTest}). */
    public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("riskgate-test-store",
                    datasource("riskgate-api-tests")));
        }
    }
}
