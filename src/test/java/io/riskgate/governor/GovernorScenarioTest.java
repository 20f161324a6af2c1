package io.riskgate.governor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.riskgate.decision.Decision;
import io.riskgate.exits.ExitAction;
import io.riskgate.exits.ExitInstruction;
import io.riskgate.facts.Adjustment;
import io.riskgate.governor.EmergencyInstruction.Kind;
import io.riskgate.lifecycle.CloseRequest;
import io.riskgate.lifecycle.FillRequest;
import io.riskgate.market.Mark;
import io.riskgate.portfolio.ActiveBreaker;
import io.riskgate.portfolio.EquitySnapshot;
import io.riskgate.portfolio.Multiplier;
import io.riskgate.portfolio.Trade;
import io.riskgate.portfolio.TradeState;
import io.riskgate.portfolio.TradingState;
import io.riskgate.runtime.RiskgateRuntime;
import io.riskgate.testing.MutableClock;
import io.riskgate.testing.Requests;
import io.riskgate.testing.TestRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The governor's acceptance scenarios in event time, end to end through the in-process runtime (checks, equity
 * reports, fills, marks, closes; real Drools, real H2). Seed 001's account holds 10,000 at Saturday 2026-11-21
 * 10:00 UTC; the day window opens at 00:00 UTC, the week on Monday. Every event is timed by the test, and
 * riskgate's clock follows it (events may not run more than 5 minutes ahead of it).
 */
class GovernorScenarioTest {

    private static final Instant T0 = TestRuntime.T0;

    private final MutableClock clock = new MutableClock(T0);
    private DataSource db;
    private RiskgateRuntime rt;
    private final String account = "gov-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() {
        db = TestRuntime.memoryDatabase();
        rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", db, clock,
                new SimpleMeterRegistry());
    }

    private void equity(double equity, Instant at) {
        clock.set(at);
        rt.portfolio().reportEquity(new EquitySnapshot(account, equity, at));
    }

    /** Seed 001's order at {@code at}, with no equity of its own: it is sized on what the account reported. */
    private Decision check(Instant at) {
        clock.set(at);
        ObjectNode r = Requests.set(Requests.seed001(), "account", account);
        r.remove("equity");
        Requests.set(r, "market.timestamp", at.toString());
        return rt.engine().check(r);
    }

    private AccountGovernorView state() {
        return rt.governor().view(account);
    }

    private static Optional<Adjustment> adjustment(Decision d, String code) {
        return d.adjustments().stream().filter(a -> a.code().equals(code)).findFirst();
    }

    /** The codes of the rules a decision fired. */
    private static List<String> codes(Decision d) {
        return d.firedRuleDetails().stream().map(io.riskgate.facts.FiredRule::code).toList();
    }

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void aDayCrossingTheThreePercentDailyLimitHaltsUntilTheNextDay() {
        equity(10_000, T0);
        Decision active = check(T0.plusSeconds(60));
        assertThat(active.approved()).isTrue();
        assertThat(codes(active)).doesNotContain("ACCOUNT_NOT_ACTIVE");

        // 10:30: 9,700 = 300 lost since the day opened at 10,000 = 3%
        equity(9_700, t("2026-11-21T10:30:00Z"));
        assertThat(state().state()).isEqualTo(TradingState.HALTED);
        Decision refused = check(t("2026-11-21T11:00:00Z"));
        assertThat(refused.approved()).isFalse();
        assertThat(refused.codes()).contains("DAILY_LOSS_LIMIT");
        assertThat(codes(refused)).contains("ACCOUNT_NOT_ACTIVE");
        assertThat(check(t("2026-11-21T23:59:00Z")).codes()).contains("DAILY_LOSS_LIMIT");

        // the next day opens at 9,700: the breaker ends at 00:00 and the day's loss starts from there
        Decision nextDay = check(t("2026-11-22T00:00:00Z"));
        assertThat(nextDay.codes()).doesNotContain("DAILY_LOSS_LIMIT");
        assertThat(state().state()).isEqualTo(TradingState.ACTIVE);
        assertThat(state().drawdown().dayOpenEquity()).isEqualTo(9_700.0);
        assertThat(rt.governor().store().changes(account, 10)).extracting(BreakerChange::action,
                BreakerChange::code, BreakerChange::actor).contains(tuple("TRIP", "DAILY_LOSS_LIMIT", "rules"),
                tuple("CLEAR", "DAILY_LOSS_LIMIT", "clock"));
    }

    @Test
    void aWeekLosingTenPercentHaltsUntilMonday() {
        // Monday 16th: 10,000. Each day loses 2.5% of the day's opening (under the 3% daily limit):
        // 9,750 -> 9,506.25 -> 9,268.59 -> 9,036.87 (Thursday, 9.63% on the week) -> Friday 8,999 (10.01%)
        double e = 10_000;
        equity(e, t("2026-11-16T09:00:00Z"));
        String[] days = {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"};
        for (String day : days) {
            e = e * 0.975;
            equity(e, t(day + "T18:00:00Z"));
            assertThat(state().state()).as(day).isNotEqualTo(TradingState.HALTED);
        }
        equity(8_999, t("2026-11-20T12:00:00Z")); // (10,000 - 8,999) / 10,000 = 10.01%
        AccountGovernorView friday = state();
        assertThat(friday.breakers()).extracting(ActiveBreaker::code).contains("WEEKLY_LOSS_LIMIT");
        assertThat(friday.breakers()).filteredOn(b -> b.code().equals("WEEKLY_LOSS_LIMIT"))
                .extracting(ActiveBreaker::until).containsExactly(t("2026-11-23T00:00:00Z"));
        assertThat(check(t("2026-11-22T12:00:00Z")).codes()).contains("WEEKLY_LOSS_LIMIT");
        // Monday: a new week
        assertThat(check(t("2026-11-23T00:01:00Z")).codes()).doesNotContain("WEEKLY_LOSS_LIMIT");
    }

    @Test
    void theFivePercentCircuitBreakerPausesForFourHours() {
        // Friday ends 2.5% down (9,750); Saturday 10:00 reaches 9,500: 2.56% on the day, 5% below the peak
        equity(10_000, t("2026-11-20T09:00:00Z"));
        equity(9_750, t("2026-11-20T20:00:00Z"));
        equity(9_500, T0);
        AccountGovernorView paused = state();
        assertThat(paused.state()).isEqualTo(TradingState.REDUCING);
        assertThat(paused.breakers()).extracting(ActiveBreaker::code, ActiveBreaker::until)
                .containsExactly(tuple("CIRCUIT_BREAKER", T0.plus(Duration.ofHours(4))));

        assertThat(check(T0.plus(Duration.ofHours(4)).minusSeconds(60)).codes()).contains("CIRCUIT_BREAKER");
        Decision after = check(T0.plus(Duration.ofHours(4)));
        assertThat(after.codes()).doesNotContain("CIRCUIT_BREAKER");
        // still 5% below the peak: the drawdown table's 0.8 and recovery mode's 0.5 apply instead
        assertThat(adjustment(after, "DRAWDOWN_FACTOR")).map(Adjustment::factor).contains(0.8);
        assertThat(adjustment(after, "RECOVERY_MODE")).map(Adjustment::factor).contains(0.5);
        // 1% x 0.5 x 0.8 = 0.4% of 9,500 = 38
        assertThat(after.riskAmount()).isCloseTo(38, within(1e-9));
        assertThat(adjustment(after, "VOLATILITY_FACTOR")).isEmpty(); // ATR/price 1,500 / 50,000 = 0.03: not above
        // ATR 1,600: 0.032 > 0.03, volatility x 0.7; the dynamic factors take the most restrictive, min(0.8, 0.7):
        // 1% x 0.5 x 0.7 = 0.35% of 9,500 = 33.25 (their product would give 26.6)
        clock.set(T0.plus(Duration.ofHours(4)).plusSeconds(30));
        ObjectNode volatile_ = Requests.set(Requests.seed001(), "account", account);
        volatile_.remove("equity");
        Requests.set(volatile_, "market.atr", 1_600.0);
        Requests.set(volatile_, "market.timestamp", T0.plus(Duration.ofHours(4)).plusSeconds(30).toString());
        Decision vol = rt.engine().check(volatile_);
        assertThat(adjustment(vol, "VOLATILITY_FACTOR")).map(Adjustment::factor).contains(0.7);
        assertThat(vol.riskAmount()).isCloseTo(33.25, within(1e-9));
        // the breaker does not trip again while the account stays below 5%
        assertThat(check(T0.plus(Duration.ofHours(5))).codes()).doesNotContain("CIRCUIT_BREAKER");
    }

    private Trade openAndClose(Instant at, double exit) {
        Decision d = check(at);
        assertThat(d.approved()).as("%s", d.rejections()).isTrue();
        Trade t = rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(at))).trade();
        return rt.trades().close(t.id(), new CloseRequest(exit, OptionalDouble.empty(), Optional.empty(),
                Optional.of(at.plusSeconds(60))));
    }

    @Test
    void threeLossesInARowHalveTheRiskAmountAndAWinRestoresIt() {
        equity(10_000, T0);
        // seed 001: risk 1% of 10,000 = 100
        assertThat(check(T0.plusSeconds(10)).riskAmount()).isCloseTo(100, within(1e-9));
        // three stopped-out trades: each 0.01 x (49,000 - 50,000) = -10
        for (int i = 1; i <= 3; i++) {
            openAndClose(T0.plusSeconds(600L * i), 49_000);
        }
        Decision halved = check(T0.plusSeconds(3_000));
        // 1% x 0.5 = 0.5% of 10,000 = 50 (equity moved 30 since the snapshot: sizing uses the snapshot)
        assertThat(adjustment(halved, "LOSING_STREAK")).map(Adjustment::factor).contains(0.5);
        assertThat(codes(halved)).contains("GOVERNOR_MULTIPLIERS");
        assertThat(halved.riskAmount()).isCloseTo(50, within(1e-9));

        openAndClose(T0.plusSeconds(3_600), 51_000); // a win ends the streak
        Decision restored = check(T0.plusSeconds(4_200));
        assertThat(adjustment(restored, "LOSING_STREAK")).isEmpty();
        assertThat(codes(restored)).doesNotContain("GOVERNOR_MULTIPLIERS");
        assertThat(restored.riskAmount()).isCloseTo(100, within(1e-9));
    }

    @Test
    void lowVolatilityRaisesRiskByTheDynamicFactor() {
        equity(10_000, T0);
        // ATR 500 / 50,000 = 0.01: not below 1%, no factor: risk 1% = 100
        clock.set(T0.plusSeconds(60));
        ObjectNode at1 = Requests.set(Requests.seed001(), "account", account);
        Requests.set(at1, "market.atr", 500.0);
        Requests.set(at1, "market.timestamp", T0.plusSeconds(60).toString());
        Decision calm = rt.engine().check(at1);
        assertThat(adjustment(calm, "LOW_VOLATILITY_FACTOR")).isEmpty();
        assertThat(calm.riskAmount()).isCloseTo(100, within(1e-9));
        // ATR 499.5: 0.00999 < 1%, x 1.3: 1% x 1.3 = 1.3% = 130 (within max_risk_pct 1.5%)
        Requests.set(at1, "market.atr", 499.5);
        Decision low = rt.engine().check(at1);
        assertThat(adjustment(low, "LOW_VOLATILITY_FACTOR")).map(Adjustment::factor).contains(1.3);
        assertThat(low.riskAmount()).isCloseTo(130, within(1e-9));
    }

    @Test
    void recoveryModeStartsTwoPercentBelowThePeakAndEndsOnANewPeak() {
        equity(10_000, T0);
        equity(9_800, T0.plusSeconds(60)); // 2% below the peak
        Decision inRecovery = check(T0.plusSeconds(120));
        assertThat(adjustment(inRecovery, "RECOVERY_MODE")).map(Adjustment::factor).contains(0.5);
        // 1% x 0.5 = 0.5% of 9,800 = 49; not clamped back up by min_risk_pct
        assertThat(inRecovery.riskAmount()).isCloseTo(49, within(1e-9));

        equity(9_990, T0.plusSeconds(180));
        assertThat(state().recovery()).isTrue();
        equity(10_000, T0.plusSeconds(240)); // the peak again
        assertThat(state().recovery()).isFalse();
        assertThat(adjustment(check(T0.plusSeconds(300)), "RECOVERY_MODE")).isEmpty();
    }

    @Test
    void seed004sDrawdownThresholdsStepTheFactorAndTightenTrailingStops() {
        equity(10_000, t("2026-11-18T09:00:00Z"));
        // one step a day so the daily limit is not what moves: 5%, 10%, 15% below the 10,000 peak
        double[] equities = {9_500, 9_000, 8_500};
        double[] factors = {0.8, 0.6, 0.4};
        double[] tightening = {1.2, 1.4, 1.6};
        String[] days = {"2026-11-18T20:00:00Z", "2026-11-19T23:00:00Z", "2026-11-20T23:00:00Z"};
        for (int i = 0; i < 3; i++) {
            equity(equities[i], t(days[i]));
            AccountGovernorView v = state();
            assertThat(v.multipliers()).filteredOn(m -> m.code().equals("DRAWDOWN_FACTOR"))
                    .extracting(Multiplier::factor).as("at %s", equities[i]).containsExactly(factors[i]);
            assertThat(v.stopTightening()).isEqualTo(tightening[i]);
        }
    }

    @Test
    void aTrailingStopTightensInADrawdown() {
        // an open long trails 1 ATR (1,500) behind 56,000 = 54,500; at 5% below the peak the governor tightens
        // stops 1.2x: 1,500 / 1.2 = 1,250 behind = 54,750
        equity(10_000, T0);
        Decision d = check(T0.plusSeconds(10));
        Trade t = rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(T0.plusSeconds(20))))
                .trade();
        // the trade's own gain does not lift the account: report 9,500 with the position marked at 54,000
        clock.set(T0.plusSeconds(60));
        rt.exits().mark(Mark.at("BTCUSDT", 54_000, T0.plusSeconds(60)));
        equity(9_500, T0.plusSeconds(120));
        assertThat(state().stopTightening()).isEqualTo(1.2);
        clock.set(T0.plusSeconds(180));
        List<ExitInstruction> out = rt.exits().mark(Mark.at("BTCUSDT", 56_000, T0.plusSeconds(180)));
        assertThat(out).filteredOn(i -> i.tradeId().equals(t.id()) && i.action() == ExitAction.MOVE_STOP)
                .extracting(ExitInstruction::stopLoss).containsExactly(54_750.0);
    }

    @Test
    void theWeeklyTargetPreservesTheGainUntilTheWeekResets() {
        equity(10_000, t("2026-11-16T09:00:00Z"));
        equity(12_000, T0); // +20% on the week
        Decision preserved = check(T0.plusSeconds(60));
        assertThat(adjustment(preserved, "WEEKLY_TARGET_REACHED")).map(Adjustment::factor).contains(0.5);
        assertThat(adjustment(check(t("2026-11-23T00:01:00Z")), "WEEKLY_TARGET_REACHED")).isEmpty();
    }

    @Test
    void markedOpenLossCountsAndAPositionOverItsLimitGetsAClose() {
        equity(10_000, T0);
        Decision d = check(T0.plusSeconds(10));
        Trade t = rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(T0.plusSeconds(20))))
                .trade();
        // marked at 19,999: open loss 0.01 x 30,001 = 300.01 = 3.0001% of 10,000 (equity is now 9,699.99)
        clock.set(T0.plusSeconds(60));
        rt.exits().mark(Mark.at("BTCUSDT", 19_999, T0.plusSeconds(60)));
        AccountGovernorView v = state();
        assertThat(v.equity()).isCloseTo(9_699.99, within(1e-6));
        assertThat(v.breakers()).extracting(ActiveBreaker::code).contains("DAILY_LOSS_LIMIT");
        List<EmergencyInstruction> open = rt.governor().instructions(account, true);
        assertThat(open).extracting(EmergencyInstruction::kind, EmergencyInstruction::tradeIds,
                EmergencyInstruction::code).containsExactly(tuple(Kind.CLOSE, List.of(t.id()), "POSITION_LOSS_LIMIT"));
        // the same bar went through the 47,750 stop, so the exit rules' CLOSE came first: the trade ends as
        // that exit said (an exit already outstanding keeps its state)
        Trade closed = rt.trades().close(t.id(), new CloseRequest(19_999, OptionalDouble.empty(),
                Optional.of("position loss limit"), Optional.of(T0.plusSeconds(90))));
        assertThat(closed.state()).isEqualTo(TradeState.CLOSED_SL);
        rt.governor().acknowledge(account, "officer-anna", open.get(0).instructionId(), Optional.of("closed"));
        assertThat(rt.governor().instructions(account, true)).isEmpty();
    }

    @Test
    void tradesAnEmergencyCloseAllCoversEndClosedBreaker() {
        equity(10_000, T0);
        Decision d = check(T0.plusSeconds(10));
        Trade t = rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(T0.plusSeconds(20))))
                .trade();
        clock.set(T0.plusSeconds(30));
        rt.governor().officer(account, "officer-anna", "TRIP", "venue incident", Optional.empty(),
                Optional.of(io.riskgate.policy.Governor.Emergency.CLOSE_ALL), Optional.empty());
        assertThat(rt.governor().instructions(account, true)).extracting(EmergencyInstruction::kind,
                EmergencyInstruction::tradeIds).containsExactly(tuple(Kind.CLOSE_ALL, List.of(t.id())));

        Trade closed = rt.trades().close(t.id(), new CloseRequest(50_100, OptionalDouble.empty(), Optional.empty(),
                Optional.of(T0.plusSeconds(60))));
        assertThat(closed.state()).isEqualTo(TradeState.CLOSED_BREAKER);
    }

    @Test
    void aTrippedBreakerIsStillTrippedAfterARestart() {
        equity(10_000, T0);
        equity(9_700, T0.plusSeconds(60));
        assertThat(state().state()).isEqualTo(TradingState.HALTED);

        // a new runtime over the same database, as after a restart
        rt = RiskgateRuntime.start(TestRuntime.repoPolicies(), TestRuntime.repoRules(), "default", db, clock,
                new SimpleMeterRegistry());
        AccountGovernorView after = state();
        assertThat(after.state()).isEqualTo(TradingState.HALTED);
        assertThat(after.breakers()).extracting(ActiveBreaker::code).contains("DAILY_LOSS_LIMIT");
        assertThat(after.equity()).isEqualTo(9_700.0);
        assertThat(check(T0.plusSeconds(120)).codes()).contains("DAILY_LOSS_LIMIT");
    }

    @Test
    void anOfficersTripAndResetAreAuditedAndStreamed() {
        List<GovernorEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable unsubscribe = rt.governor().bus().subscribe(seen::add);
        try {
            equity(10_000, T0);
            rt.governor().officer(account, "officer-anna", "TRIP", "exchange outage", Optional.empty(),
                    Optional.empty(), Optional.empty());
            assertThat(check(T0.plusSeconds(60)).codes()).containsExactly("OFFICER_HALT");
            rt.governor().officer(account, "officer-ben", "RESET", "exchange back", Optional.empty(),
                    Optional.empty(), Optional.empty());
            assertThat(check(T0.plusSeconds(120)).approved()).isTrue();
        } finally {
            unsubscribe.run();
        }
        assertThat(seen).filteredOn(e -> e.account().equals(account)).extracting(GovernorEvent::type)
                .containsSubsequence("BREAKER_TRIPPED", "STATE_CHANGED", "BREAKER_CLEARED", "STATE_CHANGED");
        assertThat(seen).allSatisfy(e -> assertThat(e.id()).isPositive());
        assertThat(rt.governor().store().changes(account, 10)).extracting(BreakerChange::action,
                BreakerChange::actor, BreakerChange::reason).containsExactly(
                tuple("CLEAR", "officer-ben", "exchange back"), tuple("TRIP", "officer-anna", "exchange outage"));
    }

    @Test
    void aStillFormingBarDoesNotMoveTheAccountClockNorClearTheDailyBreaker() {
        // a daily bar opened today closes at midnight: posting it at 11:00 must not run the account's clock there
        equity(10_000, T0);
        Decision d = check(T0.plusSeconds(60));
        rt.trades().fill(new FillRequest(d.decisionId(), 50_000, 0.01, Optional.of(T0.plusSeconds(90))));
        equity(9_700, t("2026-11-21T10:30:00Z")); // 3%: HALTED until 2026-11-22 00:00
        clock.set(t("2026-11-21T11:00:00Z"));
        rt.market().ingest(List.of(new io.riskgate.market.MarketBar("BTCUSDT", "1d", t("2026-11-21T00:00:00Z"),
                50_000, 50_100, 49_000, 49_500, 10)));
        assertThat(state().state()).isEqualTo(TradingState.HALTED);
        assertThat(check(t("2026-11-21T11:05:00Z")).codes()).contains("DAILY_LOSS_LIMIT");
    }
}
