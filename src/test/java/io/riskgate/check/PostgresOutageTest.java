package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL goes away under a running riskgate and comes back (operations.md, PostgreSQL): while it is gone every
 * check fails closed, answered FAILED and never approved; once it is back riskgate decides again from what is stored,
 * and nothing of the outage was half-written.
 */
class PostgresOutageTest {

    private static ObjectNode order(String clientOrderId) {
        return Requests.set(Requests.set(Requests.seed001(), "account", "outage-a"), "clientOrderId", clientOrderId);
    }

    private static EmbeddedPostgres server(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    void whilePostgresIsDownChecksFailClosedAndOnceBackTheyAreDecidedFromWhatIsStored(@TempDir Path dir)
            throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("pgdata");
        EmbeddedPostgres pg = server(data, port);
        HikariDataSource db = new HikariDataSource();
        db.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        db.setUsername("postgres");
        db.setConnectionTimeout(1_000); // a check waits at most a second for a connection that will not come
        RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", db,
                Clock.fixed(TestRuntime.T0.plusSeconds(60), ZoneOffset.UTC), new SimpleMeterRegistry());
        try {
            // seed 001: 0.01 BTC approved (the 5% max position binds)
            assertThat(rt.engine().check(order("o-1")).approved()).isTrue();

            pg.close();
            Decision down = rt.engine().check(order("o-2"));
            assertThat(down.approved()).isFalse();
            assertThat(down.outcome()).isEqualTo(Outcome.FAILED);

            pg = server(data, port);
            // the pool may still hand out a connection from before the restart (HikariCP skips its validation for
            // one used within the last half second): such a check fails closed too, and the next one is decided
            Decision back = null;
            String backId = null;
            for (int attempt = 0; attempt < 10 && (back == null || back.outcome() == Outcome.FAILED); attempt++) {
                backId = "o-3-" + attempt;
                back = rt.engine().check(order(backId));
            }
            assertThat(back.outcome()).isNotEqualTo(Outcome.FAILED);
            // the account's book was read again: o-1's reservation and this one's, and nothing of o-2
            assertThat(back.approved()).isTrue();
            JdbcTemplate jdbc = new JdbcTemplate(db);
            assertThat(jdbc.queryForList("SELECT client_order_id FROM decision WHERE approved ORDER BY chain_seq",
                    String.class)).containsExactly("o-1", backId);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE released_at IS NULL",
                    Integer.class)).isEqualTo(2);
            assertThat(rt.audit().chain().verify(Optional.empty()).problems()).isEmpty();
        } finally {
            rt.close();
            db.close();
            pg.close();
        }
    }
}
