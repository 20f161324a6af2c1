package io.riskgate.check;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
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

    @Test
    void aMarkWritesItsTradesAndTheGovernorsMeasureInOneUnitPerAccount() {
        // seed 001 approved on two accounts (0.01 BTC each, stop 47,750) and filled at 50,000
        for (String account : List.of("gw-1", "gw-2")) {
            Decision d = rt.engine().check(set(set(Requests.seed001(), "account", account), "clientOrderId", "o"));
            rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty()));
        }
        OffsetDateTime before = jdbc.queryForObject("SELECT updated_at FROM governor_state WHERE account = 'gw-1'",
                OffsetDateTime.class);
        long units = rt.commits().units();
        clock.advance(Duration.ofMinutes(1));

        // a mark at 50,100 a minute later: no stop moves, each account's price and governor clock do
        rt.exits().mark(Mark.at("BTCUSDT", 50_100, TestRuntime.T0.plusSeconds(60)));

        assertThat(rt.commits().units() - units).as("one unit of work per account marked").isEqualTo(2);
        // no stop moved; the trade's best price did (50,000 -> 50,100), so its row was written with the price
        assertThat(jdbc.queryForList("SELECT last_price FROM trade WHERE account IN ('gw-1', 'gw-2')", Double.class))
                .containsExactly(50_100.0, 50_100.0);
        assertThat(jdbc.queryForObject("SELECT updated_at FROM governor_state WHERE account = 'gw-1'",
                OffsetDateTime.class)).isAfter(before);
        // the governor measured the marked book: its last equity is the book's marked equity
        double marked = rt.portfolio().withAccount("gw-1", b -> b.markedEquity().orElseThrow());
        Double measured = rt.portfolio().withAccount("gw-1", b -> b.governor().lastEquity());
        assertThat(measured).isEqualTo(marked);
    }
}
