package io.riskgate.governor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.riskgate.check.PolicyCompiler;
import io.riskgate.facts.FiredRule;
import io.riskgate.governor.EmergencyInstruction.Kind;
import io.riskgate.policy.PolicyLoader;
import io.riskgate.policy.Side;
import io.riskgate.portfolio.ActiveBreaker;
import io.riskgate.portfolio.GovernorState;
import io.riskgate.portfolio.Multiplier;
import io.riskgate.portfolio.Position;
import io.riskgate.portfolio.TradeResult;
import io.riskgate.portfolio.TradingState;
import io.riskgate.rules.CompiledPolicy;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * rules/governor.drl and rules/drawdown-factors.drl.xlsx through the governor's evaluator with the compiled default
 * policy, each rule on both sides of its threshold. Seed 001's account: 10,000 of equity at the start of the day
 * (Saturday 2026-11-21 10:00 UTC; the week began Monday 2026-11-16 00:00 UTC). Each case first establishes the
 * account at 10,000, then reports one equity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernorEvaluatorTest {

    static final Instant T0 = TestRuntime.T0;
    private CompiledPolicy policy;

    @BeforeAll
    void compile() {
        policy = PolicyCompiler.standard().compile(new PolicyLoader(TestRuntime.repoRules())
                .load(TestRuntime.repoPolicies().resolve("default.yaml")));
    }

    private GovernorEvaluator.Update eval(GovernorState s, Double equity, Instant at, List<TradeResult> results,
                                          List<Position> positions, Map<String, Double> prices) {
        return GovernorEvaluator.evaluate(policy, s, new GovernorEvaluator.Input("acc", Optional.ofNullable(equity),
                at, results, positions, prices));
    }

    private GovernorEvaluator.Update eval(GovernorState s, double equity, Instant at) {
        return eval(s, equity, at, List.of(), List.of(), Map.of());
    }

    /** The account at 10,000 at T0: peak, day and week open at 10,000. */
    private GovernorState at10k() {
        return eval(GovernorState.initial(), 10_000, T0).state();
    }

    private GovernorEvaluator.Update report(double equity) {
        return eval(at10k(), equity, T0.plusSeconds(60));
    }

    private static List<String> fired(GovernorEvaluator.Update u) {
        return u.fired().stream().map(FiredRule::code).toList();
    }

    private static List<String> breakers(GovernorEvaluator.Update u) {
        return u.state().breakers().stream().map(ActiveBreaker::code).toList();
    }

    private static List<String> multipliers(GovernorEvaluator.Update u) {
        return u.state().multipliers().stream().map(Multiplier::code).toList();
    }

    // ------------------------------------------------------------------ breakers

    @Test
    void dailyLossTripsAtExactlyThreePercentUntilTheDayEnds() {
        // 10,000 -> 9,700.01: 2.9999% lost
        assertThat(breakers(report(9_700.01))).doesNotContain("DAILY_LOSS_LIMIT");

        GovernorEvaluator.Update u = report(9_700); // 300 / 10,000 = 3%
        ActiveBreaker b = u.state().breakers().stream().filter(x -> x.code().equals("DAILY_LOSS_LIMIT")).findFirst()
                .orElseThrow();
        assertThat(b.state()).isEqualTo(TradingState.HALTED);
        assertThat(b.measured()).isCloseTo(0.03, within(1e-12));
        assertThat(b.limit()).isEqualTo(0.03);
        assertThat(b.until()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(u.state().state()).isEqualTo(TradingState.HALTED);
        assertThat(u.events()).extracting(GovernorEvent::type).contains("BREAKER_TRIPPED", "STATE_CHANGED");
        // daily_loss's emergency protocol is none: no instruction
        assertThat(u.instructions()).isEmpty();
    }

    @Test
    void weeklyLossTripsAtTenPercentUntilTheWeekEnds() {
        // the week opened at 10,000 on Monday; on Saturday the day opened at 9,500 (a 5% week so far)
        GovernorState monday = eval(GovernorState.initial(), 10_000, Instant.parse("2026-11-16T09:00:00Z")).state();
        GovernorState friday = eval(monday, 9_500, Instant.parse("2026-11-20T12:00:00Z")).state();
        GovernorState saturday = eval(friday, 9_500, T0).state();
        // 9,000.01: 9.9999% down on the week, 5.26% on the day (daily and circuit breakers trip, weekly not)
        assertThat(breakers(eval(saturday, 9_000.01, T0.plusSeconds(60)))).doesNotContain("WEEKLY_LOSS_LIMIT");

        GovernorEvaluator.Update u = eval(saturday, 9_000, T0.plusSeconds(60));
        ActiveBreaker weekly = u.state().breakers().stream().filter(x -> x.code().equals("WEEKLY_LOSS_LIMIT"))
                .findFirst().orElseThrow();
        assertThat(weekly.measured()).isCloseTo(0.10, within(1e-12));
        // until the next Monday 00:00 UTC
        assertThat(weekly.until()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
    }

    @Test
    void theCircuitBreakerTripsAtFivePercentBelowThePeakForFourHours() {
        // 9,500.01 = 4.9999% below the 10,000 peak (the daily 3% trips, not the circuit breaker)
        assertThat(breakers(report(9_500.01))).doesNotContain("CIRCUIT_BREAKER");

        GovernorEvaluator.Update u = report(9_500);
        ActiveBreaker cb = u.state().breakers().stream().filter(x -> x.code().equals("CIRCUIT_BREAKER")).findFirst()
                .orElseThrow();
        assertThat(cb.state()).isEqualTo(TradingState.REDUCING);
        assertThat(cb.until()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofHours(4)));
    }

    @Test
    void maxDrawdownHaltsAndClosesEverythingOnceUntilAnOfficerResets() {
        Position p = new Position("t1", "d1", "acc", "BTCUSDT", "BTC", null, Side.LONG, 0.01, 50_000, 47_750, 55_625,
                T0);
        // 8,500.01 = 14.9999% below the peak
        assertThat(breakers(report(8_500.01))).doesNotContain("MAX_DRAWDOWN");

        GovernorEvaluator.Update u = eval(at10k(), 8_500.0, T0.plusSeconds(60), List.of(), List.of(p),
                Map.of("t1", 50_000.0));
        ActiveBreaker mdd = u.state().breakers().stream().filter(x -> x.code().equals("MAX_DRAWDOWN")).findFirst()
                .orElseThrow();
        assertThat(mdd.until()).isNull();
        assertThat(u.instructions()).extracting(EmergencyInstruction::kind, EmergencyInstruction::tradeIds,
                EmergencyInstruction::code).containsExactly(tuple(Kind.CLOSE_ALL, List.of("t1"), "MAX_DRAWDOWN"));

        // deeper still, a day later: still halted, no second CLOSE_ALL (a breaker trips on crossing, once)
        GovernorEvaluator.Update later = eval(u.state(), 8_000.0, T0.plus(Duration.ofDays(1)), List.of(), List.of(p),
                Map.of("t1", 50_000.0));
        assertThat(later.instructions()).isEmpty();
        assertThat(breakers(later)).contains("MAX_DRAWDOWN");
        assertThat(later.state().state()).isEqualTo(TradingState.HALTED);
    }

    @Test
    void aResetBreakerStaysQuietUntilItsConditionClearsThenTripsAgainOnTheNextCrossing() {
        GovernorState halted = report(8_500).state();
        GovernorState reset = GovernorEvaluator.officerReset(halted, "acc", "officer-anna", T0.plusSeconds(120), "reviewed",
                Optional.empty()).state();
        assertThat(reset.state()).isEqualTo(TradingState.ACTIVE);
        // still 15% down: no new trip
        GovernorEvaluator.Update still = eval(reset, 8_500, T0.plusSeconds(180));
        assertThat(still.state().breakers()).isEmpty();
        // recovers to 9,000 (10% down: the max drawdown clears and re-arms), then falls to 8,500 again: trips
        GovernorEvaluator.Update cleared = eval(still.state(), 9_000, T0.plus(Duration.ofDays(2)));
        assertThat(cleared.state().disarmed()).doesNotContain("MAX_DRAWDOWN");
        assertThat(breakers(eval(cleared.state(), 8_500, T0.plus(Duration.ofDays(3))))).contains("MAX_DRAWDOWN");
    }

    @Test
    void aPositionLosingMoreThanThreePercentOfEquityGetsOneClose() {
        // 0.01 BTC long from 50,000; 10,000 of equity before its loss: 3% = 300 = a fall to 20,000, the account
        // then at 9,700 (the loss over the equity before it: 300 / (9,700 + 300))
        Position p = new Position("t1", "d1", "acc", "BTCUSDT", "BTC", null, Side.LONG, 0.01, 50_000, 47_750, 55_625,
                T0);
        GovernorState s = at10k();
        GovernorEvaluator.Update at3 = eval(s, 9_700.0, T0.plusSeconds(60), List.of(), List.of(p),
                Map.of("t1", 20_000.0));
        assertThat(fired(at3)).doesNotContain("POSITION_LOSS_LIMIT");

        GovernorEvaluator.Update over = eval(s, 9_699.99, T0.plusSeconds(60), List.of(), List.of(p),
                Map.of("t1", 19_999.0)); // 300.01 / 10,000 = 3.0001%
        assertThat(over.instructions()).extracting(EmergencyInstruction::kind, EmergencyInstruction::tradeIds,
                EmergencyInstruction::code).containsExactly(tuple(Kind.CLOSE, List.of("t1"), "POSITION_LOSS_LIMIT"));
        // a short loses when the price rises: 0.01 from 50,000 to 80,001 = 300.01
        Position sp = new Position("t2", "d2", "acc", "BTCUSDT", "BTC", null, Side.SHORT, 0.01, 50_000, 52_250,
                44_375, T0);
        assertThat(eval(s, 9_699.99, T0.plusSeconds(60), List.of(), List.of(sp), Map.of("t2", 80_001.0))
                .instructions()).extracting(EmergencyInstruction::tradeIds).containsExactly(List.of("t2"));
        // once per trade
        assertThat(eval(over.state(), 9_690.0, T0.plusSeconds(120), List.of(), List.of(p),
                Map.of("t1", 19_000.0)).instructions()).isEmpty();
    }

    // ------------------------------------------------------------------ multipliers

    @Test
    void threeLossesInARowHalveRiskAndAWinEndsTheStreak() {
        List<TradeResult> two = List.of(TradeResult.LOSS, TradeResult.LOSS, TradeResult.WIN);
        List<TradeResult> three = List.of(TradeResult.LOSS, TradeResult.LOSS, TradeResult.LOSS, TradeResult.WIN);
        List<TradeResult> won = List.of(TradeResult.WIN, TradeResult.LOSS, TradeResult.LOSS, TradeResult.LOSS);
        assertThat(multipliers(eval(at10k(), 10_000.0, T0, two, List.of(), Map.of()))).isEmpty();
        assertThat(eval(at10k(), 10_000.0, T0, three, List.of(), Map.of()).state().multipliers())
                .extracting(Multiplier::code, Multiplier::factor).containsExactly(tuple("LOSING_STREAK", 0.5));
        assertThat(multipliers(eval(at10k(), 10_000.0, T0, won, List.of(), Map.of()))).isEmpty();
    }

    @Test
    void recoveryModeStartsTwoPercentBelowThePeakAndEndsOnANewPeak() {
        // 9,800.01: 1.9999% below
        assertThat(report(9_800.01).state().recovery()).isFalse();
        GovernorEvaluator.Update in = report(9_800);
        assertThat(in.state().recovery()).isTrue();
        assertThat(in.state().multipliers()).extracting(Multiplier::code, Multiplier::factor)
                .containsExactly(tuple("RECOVERY_MODE", 0.5));
        // back to 9,999.99: still in; 10,000 (the peak again): out
        GovernorEvaluator.Update near = eval(in.state(), 9_999.99, T0.plusSeconds(120));
        assertThat(near.state().recovery()).isTrue();
        GovernorEvaluator.Update out = eval(near.state(), 10_000, T0.plusSeconds(180));
        assertThat(out.state().recovery()).isFalse();
        assertThat(out.events()).extracting(GovernorEvent::type).contains("RECOVERY_LEFT");
    }

    @Test
    void theDrawdownTableStepsThePositionFactorAndTheStopTightening() {
        // seed 004: 5% -> 0.8 and 1.2x; 10% -> 0.6 and 1.4x; 15% -> 0.4 and 1.6x (recovery x0.5 also applies)
        assertThat(multipliers(report(9_500.01))).doesNotContain("DRAWDOWN_FACTOR");
        assertThat(report(9_500.01).state().stopTightening()).isEqualTo(1.0);
        record Row(double equity, double factor, double tightening) { }
        for (Row r : List.of(new Row(9_500, 0.8, 1.2), new Row(9_000.01, 0.8, 1.2), new Row(9_000, 0.6, 1.4),
                new Row(8_500.01, 0.6, 1.4), new Row(8_500, 0.4, 1.6), new Row(5_000, 0.4, 1.6))) {
            GovernorEvaluator.Update u = report(r.equity());
            assertThat(u.state().multipliers()).filteredOn(m -> m.code().equals("DRAWDOWN_FACTOR"))
                    .as("equity %s", r.equity()).extracting(Multiplier::factor, Multiplier::group)
                    .containsExactly(tuple(r.factor(), "dynamic"));
            assertThat(u.state().stopTightening()).as("equity %s", r.equity()).isEqualTo(r.tightening());
        }
    }

    @Test
    void theWeeklyTargetAtTwentyPercentPreservesGainsUntilTheWeekResets() {
        assertThat(report(11_999.99).state().weeklyTargetReached()).isFalse(); // +19.9999%
        GovernorEvaluator.Update hit = report(12_000); // +20%
        assertThat(hit.state().multipliers()).extracting(Multiplier::code, Multiplier::factor)
                .containsExactly(tuple("WEEKLY_TARGET_REACHED", 0.5));
        // still reached after a dip within the week; cleared on Monday 2026-11-23
        GovernorState dipped = eval(hit.state(), 11_000, T0.plus(Duration.ofHours(5))).state();
        assertThat(dipped.weeklyTargetReached()).isTrue();
        GovernorEvaluator.Update monday = eval(dipped, 11_000, Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(monday.state().weeklyTargetReached()).isFalse();
        assertThat(monday.state().weekOpenEquity()).isEqualTo(11_000.0);
    }

    @Test
    void winRateFactorsNeedTenTradesAndFireBelowThirtyOrAboveSeventyPercent() {
        // 9 trades, 0 wins: too few
        assertThat(multipliers(eval(at10k(), 10_000.0, T0, results(0, 9, true), List.of(), Map.of())))
                .doesNotContain("LOW_WIN_RATE");
        // 10 trades, 3 wins = 30%: not below; 2 wins = 20%: low (x0.7). Wins first so no losing streak.
        assertThat(multipliers(eval(at10k(), 10_000.0, T0, results(3, 10, true), List.of(), Map.of())))
                .doesNotContain("LOW_WIN_RATE");
        assertThat(eval(at10k(), 10_000.0, T0, results(2, 10, true), List.of(), Map.of()).state().multipliers())
                .extracting(Multiplier::code, Multiplier::factor).contains(tuple("LOW_WIN_RATE", 0.7));
        // 7 wins of 10 = 70%: not above; 8 = 80%: high (x1.2)
        assertThat(multipliers(eval(at10k(), 10_000.0, T0, results(7, 10, true), List.of(), Map.of())))
                .doesNotContain("HIGH_WIN_RATE");
        assertThat(eval(at10k(), 10_000.0, T0, results(8, 10, true), List.of(), Map.of()).state().multipliers())
                .extracting(Multiplier::code, Multiplier::factor).containsExactly(tuple("HIGH_WIN_RATE", 1.2));
        // only the last 20 count: 20 losses after 30 wins is 0%
        List<TradeResult> recent = new ArrayList<>(Collections.nCopies(20, TradeResult.LOSS));
        recent.addAll(Collections.nCopies(30, TradeResult.WIN));
        assertThat(multipliers(eval(at10k(), 10_000.0, T0, recent, List.of(), Map.of()))).contains("LOW_WIN_RATE");
    }

    private static List<TradeResult> results(int wins, int total, boolean winsFirst) {
        List<TradeResult> r = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            r.add(i < wins == winsFirst ? TradeResult.WIN : TradeResult.LOSS);
        }
        return r;
    }

    // ------------------------------------------------------------------ windows and cooldowns

    @Test
    void aBreakerTrippedToTheDaysEndClearsAtTheNextDayAndTheNewDayOpensAtTheLastEquity() {
        GovernorState halted = report(9_700).state();
        GovernorEvaluator.Update before = eval(halted, 9_700, Instant.parse("2026-11-21T23:59:59Z"));
        assertThat(before.state().state()).isEqualTo(TradingState.HALTED);

        GovernorEvaluator.Update next = eval(halted, 9_700, Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(breakers(next)).doesNotContain("DAILY_LOSS_LIMIT");
        assertThat(next.state().dayOpenEquity()).isEqualTo(9_700.0);
        assertThat(next.changes()).extracting(BreakerChange::action, BreakerChange::code, BreakerChange::actor)
                .contains(tuple("CLEAR", "DAILY_LOSS_LIMIT", "clock"));
    }

    @Test
    void theCircuitBreakersCooldownEndsFourHoursAfterItTripped() {
        GovernorState tripped = report(9_500).state(); // at T0 + 1 min
        Instant until = T0.plusSeconds(60).plus(Duration.ofHours(4));
        assertThat(breakers(eval(tripped, 9_500, until.minusMillis(1)))).contains("CIRCUIT_BREAKER");
        assertThat(breakers(eval(tripped, 9_500, until))).doesNotContain("CIRCUIT_BREAKER");
    }

    @Test
    void theWindowsFollowThePolicysTimeZoneAndResetTime() {
        io.riskgate.policy.Governor g = policy.policy().governor();
        assertThat(g.dayStart(Instant.parse("2026-11-21T23:59:59Z"))).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
        io.riskgate.policy.Governor ny = new io.riskgate.policy.Governor(new io.riskgate.policy.Governor.Windows(
                java.time.ZoneId.of("America/New_York"), java.time.LocalTime.of(17, 0), java.time.DayOfWeek.SUNDAY),
                g.breakers(), g.positionLossLimitPct(), g.emergencyReduceFraction(), g.multipliers());
        // 17:00 New York in November (EST, UTC-5) is 22:00 UTC: 21:59 UTC still belongs to the previous day
        assertThat(ny.dayStart(Instant.parse("2026-11-20T21:59:00Z"))).isEqualTo(Instant.parse("2026-11-19T22:00:00Z"));
        assertThat(ny.dayStart(Instant.parse("2026-11-20T22:00:00Z"))).isEqualTo(Instant.parse("2026-11-20T22:00:00Z"));
        // in July (EDT, UTC-4) the same close is 21:00 UTC
        assertThat(ny.nextDay(Instant.parse("2026-07-01T12:00:00Z"))).isEqualTo(Instant.parse("2026-07-01T21:00:00Z"));
        // weeks from Sunday 17:00 New York: Saturday 2026-11-21 belongs to the week of Sunday 2026-11-15
        assertThat(ny.weekStart(T0)).isEqualTo(Instant.parse("2026-11-15T22:00:00Z"));
    }

    @Test
    void anOfficerTripHaltsWithTheReasonAndEmergencyAndAResetClearsIt() {
        GovernorEvaluator.Update trip = GovernorEvaluator.officerTrip(at10k(), "acc", "officer-anna", T0, "exchange outage",
                TradingState.HALTED, io.riskgate.policy.Governor.Emergency.REDUCE, policy.policy().governor(),
                List.of("t1", "t2"));
        assertThat(trip.state().state()).isEqualTo(TradingState.HALTED);
        assertThat(trip.state().breakers()).extracting(ActiveBreaker::code, ActiveBreaker::reason,
                ActiveBreaker::actor).containsExactly(tuple("OFFICER_HALT", "exchange outage", "officer-anna"));
        // seed 003's reduce_positions: 50% of every position
        assertThat(trip.instructions()).extracting(EmergencyInstruction::kind, EmergencyInstruction::fraction,
                EmergencyInstruction::tradeIds).containsExactly(tuple(Kind.REDUCE, 0.5, List.of("t1", "t2")));
        GovernorEvaluator.Update reset = GovernorEvaluator.officerReset(trip.state(), "acc", "officer-ben",
                T0.plusSeconds(60), "exchange back", Optional.empty());
        assertThat(reset.state().state()).isEqualTo(TradingState.ACTIVE);
        assertThat(reset.changes()).extracting(BreakerChange::action, BreakerChange::actor, BreakerChange::reason)
                .containsExactly(tuple("CLEAR", "officer-ben", "exchange back"));
    }

    @Test
    void eventsAreOnePerChangeNeverOnePerUpdate() {
        GovernorEvaluator.Update first = report(9_700);
        assertThat(first.events()).isNotEmpty();
        GovernorEvaluator.Update same = eval(first.state(), 9_690, T0.plusSeconds(120));
        assertThat(same.events()).isEmpty();
        assertThat(same.changes()).isEmpty();
    }
}
