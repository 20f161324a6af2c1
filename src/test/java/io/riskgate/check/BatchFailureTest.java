package io.riskgate.check;

import static io.riskgate.testing.Requests.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.FlakyDatabase;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The store refuses the commit of a batch (a full disk, a lost connection): no approval escapes, nothing of the
 * batch is kept, and the account's book is read again from the store, so the next check sees only what was stored.
 */
class BatchFailureTest {

    private final FlakyDatabase db = new FlakyDatabase(TestRuntime.memoryDatabase());
    private final RiskgateRuntime rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(),
            "default", db, new MutableClock(TestRuntime.T0), new SimpleMeterRegistry());
    private final JdbcTemplate jdbc = new JdbcTemplate(db);

    @AfterEach
    void close() {
        rt.close();
    }

    private static ObjectNode order(String clientOrderId) {
        return set(set(Requests.seed001(), "account", "batch-a"), "clientOrderId", clientOrderId);
    }

    @Test
    void aRefusedCommitLetsNoApprovalEscapeKeepsNothingAndTheBookIsReadAgain() {
        // seed 001: risk 100 over a 2,250 stop = 0.0444 BTC, the 500 max position binds: 0.01 BTC approved
        Decision first = rt.engine().check(order("o-1"));
        assertThat(first.approved()).isTrue();
        assertThat(first.quantity()).isEqualTo(0.01);
        long loads = rt.portfolio().bookLoads();

        db.refuseCommits(true);
        Decision refused = rt.engine().check(order("o-2"));
        db.refuseCommits(false);

        // the same order would have been approved: the answer is a failure, never an approval
        assertThat(refused.approved()).isFalse();
        assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(refused.codes()).contains(PreTradeEngine.ENGINE_ERROR);
        // its claim on the firm limits went with it: the firm holds the first order's $500 and 22.50 at risk
        // (0.01 x 2,250), not a second one's
        assertThat(rt.portfolio().firm().totals()).isEqualTo(new io.riskgate.portfolio.FirmLedger.Others(500, 22.5));
        // nothing of the refused batch is stored (its failure record could not be written either)
        assertThat(jdbc.queryForList("SELECT client_order_id FROM decision WHERE account = 'batch-a'", String.class))
                .containsExactly("o-1");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE account = 'batch-a' "
                + "AND released_at IS NULL", Integer.class)).isOne();
        // the book was dropped and read again from the store: one reservation, the first order's
        int reservations = rt.portfolio().withAccount("batch-a", b -> b.reservations().size());
        assertThat(reservations).isOne();
        assertThat(rt.portfolio().bookLoads()).isEqualTo(loads + 1);

        // and the service goes on: the next order is decided and stored
        Decision next = rt.engine().check(order("o-3"));
        assertThat(next.outcome()).isNotEqualTo(Outcome.FAILED);
        assertThat(jdbc.queryForList("SELECT client_order_id FROM decision WHERE account = 'batch-a' ORDER BY "
                + "decided_at, client_order_id", String.class)).containsExactlyInAnyOrder("o-1", "o-3");
        // the refused batch's record took no place in the audit chain: o-3 follows o-1 and the chain verifies
        assertThat(jdbc.queryForList("SELECT client_order_id FROM decision ORDER BY chain_seq", String.class))
                .containsExactly("o-1", "o-3");
        assertThat(jdbc.queryForList("SELECT chain_seq FROM decision ORDER BY chain_seq", Long.class))
                .containsExactly(1L, 2L);
        assertThat(rt.audit().chain().verify(java.util.Optional.empty()).problems()).isEmpty();
    }
}
