package io.riskgate.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.policy.Side;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The order-rate throttle's counts: the window's edges, backdated checks, strategies, and the newest KEPT; the kept
 * approvals behind the daily risk budget and the duplicate-order control, lapsed or not.
 */
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

    /** Seed 001's order: 0.01 BTC long with its stop 2,250 below the entry, so 0.01 x 2,250 = 22.5 at risk. */
    private static RecentChecks.Approval seed001(String id, Instant at) {
        return new RecentChecks.Approval(id, at, "BTCUSDT", Side.LONG, "trend", 0.01, 22.5);
    }

    @Test
    void aLapsedApprovalNeitherCountsInTheDayRiskNorMatchesAsTheSameOrder() {
        RecentChecks r = new RecentChecks();
        r.approved(seed001("a1", T));
        r.approved(seed001("a2", T.plusSeconds(300)));
        r.approved(seed001("a3", T.plusSeconds(600)));
        // since T: 3 x 22.5 = 67.5; an approval at the day's start exactly counts, one a nanosecond before does not
        assertThat(r.riskSince(T)).isEqualTo(67.5);
        assertThat(r.riskSince(T.plusSeconds(300))).isEqualTo(45.0);
        assertThat(r.riskSince(T.plusSeconds(300).plusNanos(1))).isEqualTo(22.5);
        Instant now = T.plusSeconds(600);
        Duration hour = Duration.ofHours(1);
        assertThat(r.sameOrder("btcusdt", Side.LONG, "trend", 0.01, now, hour)).get()
                .extracting(RecentChecks.Approval::decisionId).isEqualTo("a3");

        r.lapse("a2");
        // a2 never reached the market: 67.5 - 22.5 = 45 since T, and nothing since T + 300 s but a3
        assertThat(r.riskSince(T)).isEqualTo(45.0);
        assertThat(r.riskSince(T.plusSeconds(300))).isEqualTo(22.5);
        r.lapse("a3");
        // the latest same order not lapsed is now a1, two lapsed ones later
        assertThat(r.sameOrder("BTCUSDT", Side.LONG, "trend", 0.01, now, hour)).get()
                .extracting(RecentChecks.Approval::decisionId).isEqualTo("a1");
        r.lapse("never-approved");
        assertThat(r.riskSince(null)).isEqualTo(22.5);
        r.lapse("a1");
        assertThat(r.sameOrder("BTCUSDT", Side.LONG, "trend", 0.01, now, hour)).isEmpty();
        assertThat(r.riskSince(null)).isZero();
    }

    @Test
    void onlyTheNewestKeptApprovalsCountAndALapseReachesOnlyThem() {
        RecentChecks r = new RecentChecks();
        // KEPT + 5 approvals one second apart: "o0" .. "o4" are no longer kept
        for (int i = 0; i < RecentChecks.KEPT + 5; i++) {
            r.approved(seed001("o" + i, T.plusSeconds(i)));
        }
        assertThat(r.keptApprovals()).containsExactly(RecentChecks.KEPT, RecentChecks.KEPT);
        // KEPT x 22.5 (multiples of a half: exact in binary)
        assertThat(r.riskSince(null)).isEqualTo(RecentChecks.KEPT * 22.5);
        r.lapse("o0");
        assertThat(r.riskSince(null)).isEqualTo(RecentChecks.KEPT * 22.5);
        r.lapse("o5");
        assertThat(r.riskSince(null)).isEqualTo((RecentChecks.KEPT - 1) * 22.5);
        // the window (T + 4 s, T + 9 s] holds o5 .. o9: o9 is the latest same order; o5 lapsed
        assertThat(r.sameOrder("BTCUSDT", Side.LONG, "trend", 0.01, T.plusSeconds(9), Duration.ofSeconds(5))).get()
                .extracting(RecentChecks.Approval::decisionId).isEqualTo("o9");
    }
}
