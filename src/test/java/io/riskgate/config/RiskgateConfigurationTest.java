package io.riskgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.riskgate.runtime.RiskgateRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service's data source, built the way the service builds it ({@link RiskgateConfiguration#dataSource}) over a
 * file database in a temporary directory: owner-only directory and files after the schema is migrated, the
 * generated password in db.secret, AUTO_SERVER refused.
 */
class RiskgateConfigurationTest {

    @TempDir
    Path tmp;

    private static DataSourceProperties properties(String url) throws Exception {
        DataSourceProperties p = new DataSourceProperties();
        p.setBeanClassLoader(RiskgateConfigurationTest.class.getClassLoader());
        p.setUrl(url);
        p.setUsername("sa");
        p.setPassword("");
        p.afterPropertiesSet();
        return p;
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theServicesFileDatabaseIsOwnerOnlyAndOpensWithTheKeptPassword() throws Exception {
        Path data = tmp.resolve("data");

        try (HikariDataSource ds = new RiskgateConfiguration().dataSource(properties("jdbc:h2:file:"
                + data.resolve("riskgate")), false)) {
            RiskgateRuntime.migrate(ds);

            assertThat(ds.getPassword()).isEqualTo(Files.readString(data.resolve("db.secret")).strip());
            assertThat(new JdbcTemplate(ds).queryForObject("SELECT COUNT(*) FROM decision", Long.class)).isZero();
            // each connection keeps 64 parsed statements, not H2's 8 (LocalDatabase.tuned)
            assertThat(new JdbcTemplate(ds).queryForObject("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                    + "WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'", String.class)).isEqualTo("64");
        }
        assertThat(perms(data)).isEqualTo("rwx------");
        assertThat(perms(data.resolve("db.secret"))).isEqualTo("rw-------");
        assertThat(perms(data.resolve("riskgate.mv.db"))).isEqualTo("rw-------");
    }

    @Test
    void aUrlWithAutoServerDoesNotStart() {
        assertThatThrownBy(() -> new RiskgateConfiguration().dataSource(properties("jdbc:h2:file:"
                + tmp.resolve("data/riskgate") + ";AUTO_SERVER=TRUE"), false))
                .hasMessageContaining("AUTO_SERVER=TRUE");
    }

    @Test
    void theShippedDefaultUrlHasNoAutoServer() throws Exception {
        String props = Files.readString(Path.of("src/main/resources/application.properties"));

        assertThat(props).contains("spring.datasource.url=jdbc:h2:file:./data/riskgate\n")
                .doesNotContain("AUTO_SERVER=TRUE").contains("riskgate.database.tcp-server.enabled=false");
    }
}
