package io.riskgate.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The order-rate throttle's counts: the window's edges, backdated checks, strategies, and the newest KEPT. */
class RecentChecksTest {

    private static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void aWindowCountsAfterItsStartAndUpToItsEndInclusiveWhateverOrderTheChecksCameIn() {
        RecentChecks r = new RecentChecks();
        // (T - 60 s, T]: the check at T - 60 s exactly is out, T - 59.999999999 s and T are in, T + 1 ns is out
        r.add(T, "trend");
        r.add(T.minusSeconds(60), "trend");
        r.add(T.minusSeconds(60).plusNanos(1), null);
        r.add(T.plusNanos(1), "trend");
        r.add(T.minusSeconds(3_600), "trend"); // backdated by its caller, after later ones
        assertThat(r.inWindow(T, Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(r.inWindow(T, Duration.ofSeconds(60), "trend")).isOne();
        assertThat(r.inWindow(T, Duration.ofHours(2), "trend")).isEqualTo(3);
        assertThat(r.inWindow(T, Duration.ofSeconds(60), "other")).isZero();
        assertThat(r.inWindow(T, Duration.ofSeconds(60), null)).isZero();
    }

    @Test
    void onlyTheNewestKeptChecksCount() {
        RecentChecks r = new RecentChecks();
        // KEPT + 5 checks one second apart from T: the first five (T .. T + 4 s) are no longer kept
        for (int i = 0; i < RecentChecks.KEPT + 5; i++) {
            r.add(T.plusSeconds(i), "s");
        }
        Instant last = T.plusSeconds(RecentChecks.KEPT + 4);
        Duration all = Duration.ofSeconds(RecentChecks.KEPT + 10);
        assertThat(r.inWindow(last, all)).isEqualTo(RecentChecks.KEPT);
        assertThat(r.inWindow(last, all, "s")).isEqualTo(RecentChecks.KEPT);
        // (T + 4 s, T + 9 s]: T + 5 s .. T + 9 s, all still kept
        assertThat(r.inWindow(T.plusSeconds(9), Duration.ofSeconds(5))).isEqualTo(5);
        // (T - 1 s, T + 4 s]: only the dropped ones lay there
        assertThat(r.inWindow(T.plusSeconds(4), Duration.ofSeconds(5))).isZero();
    }
}
