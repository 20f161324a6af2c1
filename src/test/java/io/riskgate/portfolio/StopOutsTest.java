package io.riskgate.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import io.riskgate.policy.Controls;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The locks worked out from stop-outs (controls.cooldown, controls.stoploss_guard) and the lifts over them, on their
 * own; the engine's use of them is LocksControlTest's, their boundaries policies/tests/market-access.yaml's.
 */
class StopOutsTest {

    private static final Instant T = Instant.parse("2026-01-05T12:00:00Z");
    private static final Controls.Guards GUARD_2_IN_1H = new Controls.Guards(Optional.empty(), Optional.of(
            new Controls.StoplossGuard(2, Duration.ofHours(1), Duration.ofHours(6), Controls.LockScope.SYMBOL)));

    private static StopOuts.StopOut stop(String symbol, int minutesAfterT) {
        return new StopOuts.StopOut("t-" + minutesAfterT, symbol, T.plus(Duration.ofMinutes(minutesAfterT)));
    }

    @Test
    void anOfficersLiftCoversTheLockItNamesAndEarlierOnesButNotALaterStopOut() {
        StopOuts s = new StopOuts();
        // BTCUSDT out at T and T+10m: locked T+10m .. T+6h10m; again at T+20m and T+30m: T+30m .. T+6h30m
        s.add(stop("BTCUSDT", 0));
        s.add(stop("BTCUSDT", 10));
        Instant first = T.plus(Duration.ofMinutes(10)).plus(Duration.ofHours(6));
        assertThat(s.locks(GUARD_2_IN_1H, T.plus(Duration.ofMinutes(15)))).singleElement()
                .satisfies(l -> assertThat(l.until()).isEqualTo(first));
        s.lift(new StopOuts.Lift(StopOuts.GUARD, "BTCUSDT", first, "ann", "why", T));
        assertThat(s.locks(GUARD_2_IN_1H, T.plus(Duration.ofMinutes(15)))).isEmpty();
        s.add(stop("BTCUSDT", 20));
        // T+20m is the second stop-out within an hour of T+10m: a new, later lock the lift does not cover
        assertThat(s.locks(GUARD_2_IN_1H, T.plus(Duration.ofMinutes(25)))).singleElement()
                .satisfies(l -> assertThat(l.until()).isEqualTo(T.plus(Duration.ofMinutes(20)).plusSeconds(6 * 3600)));
        // the lift of another symbol's lock, or of the other code, changes nothing
        s.lift(new StopOuts.Lift(StopOuts.COOLDOWN, "BTCUSDT", T.plus(Duration.ofDays(1)), "ann", "why", T));
        s.lift(new StopOuts.Lift(StopOuts.GUARD, "ETHUSDT", T.plus(Duration.ofDays(1)), "ann", "why", T));
        assertThat(s.locks(GUARD_2_IN_1H, T.plus(Duration.ofMinutes(25)))).hasSize(1);
    }

    @Test
    void locksAreWorkedOutAtTheTimeAskedWhateverOrderTheStopOutsCameIn() {
        StopOuts s = new StopOuts();
        s.add(stop("ETHUSDT", 40));
        s.add(stop("ETHUSDT", 0)); // reported late
        // at T+30m only the stop-out at T has happened: one, no lock; at T+45m both, 40 minutes apart: locked
        assertThat(s.locks(GUARD_2_IN_1H, T.plus(Duration.ofMinutes(30)))).isEmpty();
        assertThat(s.locks(GUARD_2_IN_1H, T.plus(Duration.ofMinutes(45)))).singleElement()
                .satisfies(l -> assertThat(l.since()).isEqualTo(T.plus(Duration.ofMinutes(40))));
        // no guards configured: no locks at all
        assertThat(s.locks(new Controls.Guards(Optional.empty(), Optional.empty()), T.plus(Duration.ofMinutes(45))))
                .isEmpty();
    }

    @Test
    void theFirmLedgerGrantsAShareThatFitsOrDoesNotGrowAndRefusesOneThatWouldPassALimit() {
        FirmLedger ledger = FirmLedger.empty();
        Controls.Firm limits = new Controls.Firm(OptionalDouble.of(1_000), OptionalDouble.of(100));
        ledger.publish("a", 600, 40);
        // b: 400 more fits exactly (1,000), 400.01 would not
        assertThat(ledger.claim("b", 400.01, 0, limits)).isFalse();
        assertThat(ledger.claim("b", 400, 60, limits)).isTrue();
        assertThat(ledger.others("b")).isEqualTo(new FirmLedger.Others(600, 40));
        // the firm is full: a grows no more, but may always shrink or stay
        assertThat(ledger.claim("a", 600.01, 40, limits)).isFalse();
        assertThat(ledger.claim("a", 500, 40, limits)).isTrue();
        assertThat(ledger.claim("a", 500, 40.5, limits)).isFalse(); // daily risk 100.5 > 100
        assertThat(ledger.totals()).isEqualTo(new FirmLedger.Others(900, 100));
    }
}
