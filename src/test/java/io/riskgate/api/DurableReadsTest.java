package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.audit.AuditChain;
import io.riskgate.decision.Decision;
import io.riskgate.governor.GovernorEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.database.LocalDatabase;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.HeldWriter;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other connections can read of a batch before its journal is synced is not given out: the audit chain's head
 * (an anchor) and the governor's stored events (a subscriber's replay) are answered only once everything committed
 * before they were read is durable ({@code GroupCommit.awaitDurable}). With the writer held inside a unit, as it is
 * while a batch is written and synced, both reads wait for it on a journaled H2 file, and not on a database whose
 * commits are durable by themselves.
 */
class DurableReadsTest {

    @TempDir
    Path dir;
    private RiskgateRuntime rt;

    @BeforeEach
    void start() {
        // an H2 file, journaled as the service runs it: a commit is not durable until the journal is synced
        rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default",
                LocalDatabase.dataSource("jdbc:h2:file:" + dir.resolve("db"), "sa"), new MutableClock(TestRuntime.T0),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        rt.close();
    }

    @Test
    void theChainHeadAndTheStoredEventsWaitForTheBatchInHandToBeDurable() throws Exception {
        Decision decided = rt.engine().check(Requests.seed001());
        AuditController audit = new AuditController(rt.audit(), rt, dir.resolve("exports"));
        try (HeldWriter writer = HeldWriter.hold(rt.commits())) {
            CompletableFuture<AuditChain.Head> head = CompletableFuture.supplyAsync(audit::head);
            CompletableFuture<List<GovernorEvent>> events = CompletableFuture.supplyAsync(
                    () -> rt.governor().durableEvents(0, Optional.empty(), 10));
            // a read that did not wait for the writer would have answered in far less than this
            Thread.sleep(300);
            assertThat(head).isNotDone();
            assertThat(events).isNotDone();
            writer.release();
            assertThat(head.get(30, TimeUnit.SECONDS).decisionId()).isEqualTo(decided.decisionId());
            assertThat(events.get(30, TimeUnit.SECONDS)).isNotNull();
        }
    }

    /**
     * Every read of the API (a decision, an emergency instruction, a breaker, the activations) waits, before its
     * body is written, for what it read to be durable; a write's answer (already durable), a page outside the API and
     * the event stream do not wait.
     */
    @Test
    void everyReadOfTheApiWaitsForTheBatchInHandToBeDurable() throws Exception {
        rt.engine().check(Requests.seed001());
        DurableReads reads = new DurableReads(rt);
        try (HeldWriter writer = HeldWriter.hold(rt.commits())) {
            CompletableFuture<Object> read = CompletableFuture.supplyAsync(
                    () -> answer(reads, "GET", "/api/v1/accounts/a/instructions"));
            for (String[] other : new String[][] {{"POST", "/api/v1/checks"}, {"GET", "/console/"},
                    {"GET", "/api/v1/events"}}) {
                assertThat(CompletableFuture.supplyAsync(() -> answer(reads, other[0], other[1]))
                        .get(10, TimeUnit.SECONDS)).as(other[0] + " " + other[1]).isEqualTo("body");
            }
            // under a context path as well
            org.springframework.mock.web.MockHttpServletRequest underContext =
                    new org.springframework.mock.web.MockHttpServletRequest("GET", "/rg/api/v1/decisions");
            underContext.setContextPath("/rg");
            CompletableFuture<Object> readUnderContext = CompletableFuture.supplyAsync(() -> reads.beforeBodyWrite(
                    "body", null, org.springframework.http.MediaType.APPLICATION_JSON, null,
                    new org.springframework.http.server.ServletServerHttpRequest(underContext), null));
            Thread.sleep(300);
            assertThat(read).isNotDone();
            assertThat(readUnderContext).isNotDone();
            writer.release();
            assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("body");
            assertThat(readUnderContext.get(30, TimeUnit.SECONDS)).isEqualTo("body");
        }
        // a writer that is stopped cannot make anything durable: the read is refused, not answered
        rt.commits().close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> answer(reads, "GET", "/api/v1/decisions"))
                .isInstanceOf(org.springframework.web.server.ResponseStatusException.class)
                .hasMessageContaining("503");
    }

    private static Object answer(DurableReads reads, String method, String path) {
        return reads.beforeBodyWrite("body", null, org.springframework.http.MediaType.APPLICATION_JSON, null,
                new org.springframework.http.server.ServletServerHttpRequest(
                        new org.springframework.mock.web.MockHttpServletRequest(method, path)), null);
    }

    @Test
    void onADatabaseWhoseCommitsAreDurableTheReadsDoNotWaitForTheWriter() throws Exception {
        // in memory, as PostgreSQL: a committed batch is as durable as it gets, so nothing waits for the writer
        RiskgateRuntime memory = TestRuntime.start(new MutableClock(TestRuntime.T0));
        try {
            Decision decided = memory.engine().check(Requests.seed001());
            AuditController audit = new AuditController(memory.audit(), memory, dir.resolve("exports"));
            try (HeldWriter writer = HeldWriter.hold(memory.commits())) {
                assertThat(CompletableFuture.supplyAsync(audit::head).get(10, TimeUnit.SECONDS).decisionId())
                        .isEqualTo(decided.decisionId());
                assertThat(CompletableFuture.supplyAsync(() -> memory.governor().durableEvents(0, Optional.empty(),
                        10)).get(10, TimeUnit.SECONDS)).isNotNull();
            }
        } finally {
            memory.close();
        }
    }
}
