package io.riskgate.check;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Issue 12's compact records: a check writes the account's governor state only when the check changed it. */
class GovernorWritesTest {

    private final DataSource db = TestRuntime.memoryDatabase();
    private final MutableClock clock = new MutableClock(TestRuntime.T0);
    private final RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
            "default", db, clock, new SimpleMeterRegistry());
    private final JdbcTemplate jdbc = new JdbcTemplate(db);

    @AfterEach
    void close() {
        rt.close();
    }

    private OffsetDateTime written() {
        return jdbc.queryForObject("SELECT updated_at FROM governor_state WHERE account = 'gw'",
                OffsetDateTime.class);
    }

    @Test
    void theStateIsWrittenWhenAChecksEventMovesItAndNotWhenNothingChanged() {
        var order = set(Requests.seed001(), "account", "gw");
        rt.engine().check(set(order, "clientOrderId", "o-1"));
        OffsetDateTime first = written();

        // the same order again, a second later on the wall clock, at the same event time: nothing to write
        clock.advance(Duration.ofSeconds(1));
        rt.engine().check(set(order, "clientOrderId", "o-2"));
        assertThat(written()).isEqualTo(first);

        // an order a minute later in event time moves the governor's clock: written
        clock.advance(Duration.ofMinutes(1));
        rt.engine().check(set(set(order, "clientOrderId", "o-3"), "market.timestamp",
                TestRuntime.T0.plusSeconds(60).toString()));
        assertThat(written()).isAfter(first);
    }
}
