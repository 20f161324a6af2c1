package io.riskgate.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.market.MarketBar;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.Bars;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.TestRuntime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service's replay jobs: at most {@link ReplayJobs#PENDING} queued or running at once, each holding bars. */
class ReplayJobsTest {

    @Test
    void atMostThePendingBoundOfReplaysAreQueuedOrRunningAtOnce() throws Exception {
        RiskgateRuntime rt = TestRuntime.start(new MutableClock(TestRuntime.T0));
        try {
            ReplayJobs jobs = new ReplayJobs(rt.registry(), rt.json(), Clock.systemUTC());
            // 20,000 daily bars: the first job runs for a good part of a second while the next ones are started
            List<MarketBar> bars = Bars.daily("QUEUEUSDT", 50_000, Bars.randomReturns(7, 19_999, 0.01),
                    Instant.parse("2025-06-30T00:00:00Z"));
            List<String> started = new ArrayList<>();
            for (int i = 0; i < ReplayJobs.PENDING; i++) {
                started.add(jobs.start("officer", "default", bars, List.of(), ReplaySettings.defaults()).id());
            }
            assertThatThrownBy(() -> jobs.start("officer", "default", bars, List.of(), ReplaySettings.defaults()))
                    .isInstanceOf(ReplayJobs.Busy.class)
                    .hasMessageStartingWith(ReplayJobs.PENDING + " replays are queued or running");

            // once they have run, a replay is taken again
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && !started.stream()
                    .allMatch(id -> jobs.get(id).map(j -> j.state().equals("DONE")).orElse(false))) {
                Thread.sleep(50);
            }
            assertThat(started).allSatisfy(id -> assertThat(jobs.get(id).orElseThrow().state()).isEqualTo("DONE"));
            assertThat(jobs.start("officer", "default", bars.subList(0, 10), List.of(), ReplaySettings.defaults())
                    .state()).isIn("QUEUED", "RUNNING", "DONE");
        } finally {
            rt.close();
        }
    }
}
