package io.riskgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgate.decision.Decision;
import io.riskgate.decision.Outcome;
import io.riskgate.testing.Engine;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit store over H2 as the engine writes it: each decision with the request that asked for it, found by id
 * or by the client's order id, and searched by account, outcome, rule code and decision time ({@code from}
 * inclusive, {@code to} exclusive), newest first, a page at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditStoreTest {

    private static final Instant T0 = TestRuntime.T0;

    private final Engine engine = new Engine();
    private final String account = Engine.freshAccount();
    private AuditStore audit;
    /** Five decisions one minute apart from T0: approved, rejected (SPLIT), approved, rejected, approved. */
    private List<Decision> decisions;

    @BeforeAll
    void decide() {
        audit = engine.rt.audit();
        engine.clock.set(T0.plus(Duration.ofHours(1)));
        decisions = Stream.iterate(0, i -> i + 1).limit(5).map(i -> {
            ObjectNode r = Requests.set(Requests.seed001(), "account", account);
            Requests.set(r, "clientOrderId", "order-" + i);
            Requests.set(r, "market.timestamp", at(i).toString());
            if (i % 2 == 1) {
                Requests.set(r, "signal.consensus", "SPLIT");
            }
            return engine.check(r);
        }).toList();
        assertThat(decisions).extracting(Decision::approved).containsExactly(true, false, true, false, true);
    }

    private List<String> newestFirst() {
        List<String> ids = new java.util.ArrayList<>(decisions.stream().map(Decision::decisionId).toList());
        java.util.Collections.reverse(ids);
        return ids;
    }

    private static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    private static AuditQuery query(String account) {
        return new AuditQuery(Optional.ofNullable(account), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 50);
    }

    @Test
    void aDecisionIsFoundByIdWithTheRequestThatAskedForIt() {
        Decision d = decisions.get(1);
        AuditRecord r = audit.find(d.decisionId()).orElseThrow();
        assertThat(r.decision()).isEqualTo(d);
        assertThat(r.request().path("clientOrderId").asText()).isEqualTo("order-1");
        assertThat(r.request().at("/signal/consensus").asText()).isEqualTo("SPLIT");
    }

    @Test
    void anUnknownIdFindsNothing() {
        assertThat(audit.find("no-such-decision")).isEmpty();
    }

    @Test
    void aClientOrderIdIsFoundOnlyOnItsOwnAccount() {
        assertThat(audit.findByClientOrderId(account, "order-3")).get()
                .extracting(r -> r.decision().decisionId()).isEqualTo(decisions.get(3).decisionId());
        assertThat(audit.findByClientOrderId("another-account", "order-3")).isEmpty();
        assertThat(audit.findByClientOrderId(account, "order-9")).isEmpty();
    }

    @Test
    void aSearchListsTheAccountsDecisionsNewestFirst() {
        AuditPage page = audit.search(query(account));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.items()).extracting(r -> r.decision().decisionId())
                .containsExactlyElementsOf(newestFirst());
        assertThat(audit.search(query("nobody-" + account)).total()).isZero();
    }

    @Test
    void aSearchFiltersByApprovalOutcomeAndRuleCode() {
        AuditQuery all = query(account);
        AuditPage approved = audit.search(new AuditQuery(all.account(), Optional.of(true), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 50));
        assertThat(approved.items()).extracting(r -> r.decision().approved()).containsOnly(true).hasSize(3);
        AuditPage rejected = audit.search(new AuditQuery(all.account(), Optional.empty(),
                Optional.of(Outcome.REJECTED), Optional.empty(), Optional.empty(), Optional.empty(), 0, 50));
        assertThat(rejected.total()).isEqualTo(2);
        AuditPage split = audit.search(new AuditQuery(all.account(), Optional.empty(), Optional.empty(),
                Optional.of("CONSENSUS_NOT_ACCEPTED"), Optional.empty(), Optional.empty(), 0, 50));
        assertThat(split.items()).extracting(r -> r.decision().decisionId())
                .containsExactly(decisions.get(3).decisionId(), decisions.get(1).decisionId());
    }

    static Stream<Arguments> windows() {
        return Stream.of(
                // from is inclusive: a window opening at minute 1 holds minute 1's decision
                Arguments.of(at(1), at(3), List.of(2, 1)),
                Arguments.of(at(1).plusNanos(1000), at(3), List.of(2)),
                // to is exclusive: a window closing at minute 3 leaves minute 3 out, one a microsecond later not
                Arguments.of(at(1), at(3).plusNanos(1000), List.of(3, 2, 1)),
                Arguments.of(at(0), at(0), List.of()));
    }

    @ParameterizedTest
    @MethodSource("windows")
    void aTimeWindowIncludesItsStartAndExcludesItsEnd(Instant from, Instant to, List<Integer> expected) {
        AuditPage page = audit.search(new AuditQuery(Optional.of(account), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(from), Optional.of(to), 0, 50));
        assertThat(page.items()).extracting(r -> r.decision().decisionId())
                .containsExactlyElementsOf(expected.stream().map(i -> decisions.get(i).decisionId()).toList());
        assertThat(page.total()).isEqualTo(expected.size());
    }

    @Test
    void pagesSplitTheResultsAndCarryTheTotal() {
        List<String> newestFirst = newestFirst();
        for (int p = 0; p < 3; p++) {
            AuditPage page = audit.search(new AuditQuery(Optional.of(account), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), p, 2));
            assertThat(page.total()).isEqualTo(5);
            assertThat(page.items()).extracting(r -> r.decision().decisionId())
                    .containsExactlyElementsOf(newestFirst.subList(2 * p, Math.min(2 * p + 2, 5)));
        }
        assertThat(audit.search(new AuditQuery(Optional.of(account), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 3, 2)).items()).isEmpty();
    }
}
