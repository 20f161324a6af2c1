package io.riskgate.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.database.RowIds;
import io.riskgate.decision.Decision;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.market.MarketBar;
import io.riskgate.portfolio.Trade;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Postgres;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * riskgate on a real PostgreSQL server (issue 15): the same migrations, the same engine and the same numbers as on
 * H2, its upserts and counters in PostgreSQL's own SQL, and a second runtime on the database (a restart, or another
 * instance) reading back what the first answered.
 */
class PostgresStoreTest {

    private final HikariDataSource db = Postgres.newDatabase();
    private final JdbcTemplate jdbc = new JdbcTemplate(db);
    // seed 001's event time plus a minute: the fill and the close land inside the reservation's lifetime
    private final Clock clock = Clock.fixed(TestRuntime.T0.plusSeconds(60), ZoneOffset.UTC);

    @AfterEach
    void close() {
        db.close();
    }

    private RiskgateRuntime start() {
        return RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", db, clock,
                new SimpleMeterRegistry());
    }

    private static ObjectNode order(String clientOrderId) {
        return Requests.set(Requests.set(Requests.seed001(), "account", "pg-a"), "clientOrderId", clientOrderId);
    }

    @Test
    void seed001sOrderIsDecidedFilledMarkedClosedAndAuditedAsOnH2AndAnotherRuntimeReadsItBack() {
        RiskgateRuntime rt = start();
        // seed 001: risk 1% of 10,000 = 100 over a stop 2,250 away (1.5 x ATR 1,500) = 0.0444 BTC; the 5% max
        // position (500 at 50,000 = 0.01 BTC) binds: 0.01 BTC approved, stop 47,750, take-profit 54,500 (2R)
        Decision d = rt.engine().check(order("pg-1"));
        assertThat(d.approved()).isTrue();
        assertThat(d.quantity()).isEqualTo(0.01);
        assertThat(d.stopLoss()).isEqualTo(47_750);
        Trade trade = rt.trades().fill(new FillRequest(d.decisionId(), 50_000, d.quantity(), Optional.empty()))
                .trade();
        // a mark at 50,500 (high 50,600, low 50,400) reaches neither the stop nor a take-profit step
        assertThat(rt.exits().mark(new Mark("BTCUSDT", 50_500, 50_600, 50_400, clock.instant()))).isEmpty();
        Trade closed = rt.trades().close(trade.id(), CloseRequest.all(50_100));
        // (50,100 - 50,000) x 0.01 = 1.00
        assertThat(closed.realizedPnl()).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        // the duplicate client order id answers the stored decision, from PostgreSQL's unique index
        assertThat(rt.engine().check(order("pg-1")).decisionId()).isEqualTo(d.decisionId());
        Decision second = rt.engine().check(order("pg-2"));
        assertThat(second.approved()).isTrue();
        assertThat(rt.audit().chain().verify(Optional.empty()).problems()).isEmpty();

        // another runtime on the same database, beside the first (another instance; SeveralInstancesTest): the open
        // approval, the closed trade and the chain are all there
        RiskgateRuntime again = start();
        try {
            int reservations = again.portfolio().withAccount("pg-a", b -> b.reservations().size());
            int positions = again.portfolio().withAccount("pg-a", b -> b.positions().size());
            assertThat(reservations).isOne();
            assertThat(positions).isZero();
            assertThat(jdbc.queryForList("SELECT client_order_id FROM decision ORDER BY chain_seq", String.class))
                    .containsExactly("pg-1", "pg-2");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM trade_close", Integer.class)).isOne();
            Decision third = again.engine().check(order("pg-3"));
            assertThat(third.outcome()).isNotNull();
            assertThat(again.audit().chain().verify(Optional.empty()).problems()).isEmpty();
            assertThat(jdbc.queryForList("SELECT chain_seq FROM decision ORDER BY chain_seq", Long.class))
                    .containsExactly(1L, 2L, 3L);
        } finally {
            again.close();
            rt.close();
        }
    }

    @Test
    void aBarStoredTwiceIsReplacedAndCountersComeFromTheDatabasesSequences() {
        RiskgateRuntime rt = start();
        try {
            MarketBar bar = new MarketBar("ETHUSDT", "1d", TestRuntime.T0.minus(Duration.ofDays(2)), 3_000, 3_100,
                    2_900, 3_050, 10);
            rt.market().ingest(List.of(bar));
            rt.market().ingest(List.of(new MarketBar("ETHUSDT", "1d", bar.openTime(), 3_000, 3_100, 2_900, 3_075,
                    12)));
            assertThat(jdbc.queryForList("SELECT close_price FROM market_bar WHERE symbol = 'ETHUSDT'", Double.class))
                    .containsExactly(3_075.0);
        } finally {
            rt.close();
        }
        // two processes' counters on one database never give the same number: each draws from the sequence
        RowIds one = RowIds.of(db, "lock_lift", "id");
        RowIds other = RowIds.of(db, "lock_lift", "id");
        long a = one.next();
        long b = other.next();
        long c = one.next();
        assertThat(List.of(a, b, c)).doesNotHaveDuplicates().allMatch(n -> n > 0);
        // drawn from the column's sequence, which another process draws from too (not a counter in this JVM)
        String sequence = jdbc.queryForObject("SELECT pg_get_serial_sequence('lock_lift', 'id')", String.class);
        assertThat(jdbc.queryForObject("SELECT last_value FROM " + sequence, Long.class)).isEqualTo(c);
    }
}
