package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.database.Dialect;
import io.riskgate.testing.TestStore;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The REST suite runs once on each store (pom.xml): this says which one the server of this run stores in, so a
 * PostgreSQL run that quietly fell back to H2 fails.
 */
@RiskgateServerTest
class StoreApiTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    io.riskgate.security.ApiKeys keys;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @Test
    void theServerStoresWhereThisRunSays() {
        assertThat(Dialect.of(dataSource)).isEqualTo(TestStore.postgres() ? Dialect.POSTGRESQL : Dialect.H2);
    }

    /**
     * On PostgreSQL, where several instances may share the database, a key revoked by another of them (here: in the
     * database, as another instance or the CLI would) stops working on this one within its poll; an H2 file belongs
     * to one process, which revokes through itself.
     */
    @Test
    void onPostgresqlAKeyRevokedByAnotherInstanceStopsWorkingHere() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestStore.postgres(), "one process per H2 database");
        io.riskgate.security.ApiKeys.Created k = keys.create(new io.riskgate.security.ApiKeys.Spec("revoked-elsewhere",
                java.util.Set.of(io.riskgate.security.Role.AUDITOR), java.util.Set.of(), java.time.Duration.ofDays(1)),
                "test");
        HttpApi api = new HttpApi(port, k.key());
        assertThat(api.get("/api/v1/me").status()).isEqualTo(200);
        new org.springframework.jdbc.core.JdbcTemplate(dataSource).update("UPDATE api_key SET revoked_at = ?, "
                + "revoked_by = 'another instance' WHERE id = ?", java.sql.Timestamp.from(java.time.Instant.now()),
                k.apiKey().id());
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = api.get("/api/v1/me").status();
        }
        assertThat(status).as("the key revoked by another instance, within the instance sync's poll").isEqualTo(401);
    }
}
