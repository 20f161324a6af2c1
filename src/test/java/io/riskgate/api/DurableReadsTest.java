package io.riskgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.audit.AuditChain;
import io.riskgate.decision.Decision;
import io.riskgate.governor.GovernorEvent;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other connections can read of a batch before its journal is synced is not given out: the audit chain's head
 * (an anchor) and the governor's stored events (a subscriber's replay) are read by the group commit's writer and
 * answered only once the batch they were read in is durable. Here the writer is held inside a unit, as it is while a
 * batch is written and synced: both reads wait for it.
 */
class DurableReadsTest {

    private final RiskgateRuntime rt = TestRuntime.start(new MutableClock(TestRuntime.T0));

    @AfterEach
    void close() {
        rt.close();
    }

    @Test
    void theChainHeadAndTheStoredEventsWaitForTheBatchInHandToBeDurable(@TempDir Path dir) throws Exception {
        Decision decided = rt.engine().check(Requests.seed001());
        AuditController audit = new AuditController(rt.audit(), rt, dir);
        HeldWriter writer = HeldWriter.hold(rt.commits());
        CompletableFuture<AuditChain.Head> head = CompletableFuture.supplyAsync(audit::head);
        CompletableFuture<List<GovernorEvent>> events = CompletableFuture.supplyAsync(
                () -> rt.governor().durableEvents(0, Optional.empty(), 10));
        // a read that did not go through the writer would have answered in far less than this
        Thread.sleep(300);
        assertThat(head).isNotDone();
        assertThat(events).isNotDone();
        writer.release();
        assertThat(head.get(30, TimeUnit.SECONDS).decisionId()).isEqualTo(decided.decisionId());
        assertThat(events.get(30, TimeUnit.SECONDS)).isNotNull();
    }
}
